import { Logger, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@app/config';
import { validationOptions } from '@app/flags';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './http-exception.filter';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the configured application; main.ts and the e2e suite both start it from here. */
export async function createApp(
  env: Record<string, string | undefined> = process.env,
): Promise<NestFastifyApplication> {
  const config = loadConfig(env);
  const adapter = new FastifyAdapter({
    // Flag names are validated (and refused with a 400) by the DTO, not cut off by the router.
    routerOptions: { maxParamLength: 1024 },
    bodyLimit: 64 * 1024,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.logLevel as LogLevel) + 1),
  });
  app.useGlobalPipes(new ValidationPipe(validationOptions));
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  new Logger('Boot').log(`database: ${config.database.kind}, shared cache: ${config.redis.kind}`);
  return app;
}
