import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const { http } = loadConfig(process.env);
  const app = await createApp(process.env);
  await app.listen(http.port, http.host);
}

main().catch((error: unknown) => {
  // A bad configuration is the operator's to fix: say which variable, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
