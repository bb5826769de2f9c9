import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@app/config';
import { createApp } from './create-app';
import { startupLine } from './startup-line';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(process.env);
  const log = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: no new connections; finishing in-flight requests`);
    // A bound on shutdown: a request stuck on a dead backend must not keep the process alive.
    setTimeout(() => {
      log.error(`requests still running after ${config.shutdownTimeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    // Fastify stops accepting, lets in-flight requests finish, closes idle keep-alive
    // connections; then Nest closes the PostgreSQL pool and the Redis connections.
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await app.listen(config.http.port, config.http.host);
  // PORT=0 asks the system for a free port: name the one it gave.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  new Logger('Boot').log(startupLine(config, port));
}

main().catch((error: unknown) => {
  // A bad configuration is the operator's to fix: say which variable, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
