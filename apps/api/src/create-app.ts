import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@app/config';
import { validationOptions } from '@app/flags';
import { MetricsService } from '@app/metrics';
import { OfrepBulkRoute } from '@app/ofrep';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';
import { HttpErrorFilter, sendHttpError } from './http-exception.filter';
import { addHttpHooks, requestId } from './http-hooks';
import { serveConsole } from './console';
import { addJsonBodyParser } from './json-body';
import { fastifyTrustProxy } from './trust-proxy';
import { chooseLogFormat, createLogger, PinoNestLogger } from './logging';

/** Builds the configured application; main.ts and the e2e suite both start it from here. */
export async function createApp(
  env: Record<string, string | undefined> = process.env,
): Promise<NestFastifyApplication> {
  const config = loadConfig(env);
  const logger = new PinoNestLogger(
    createLogger(
      config.logLevel,
      chooseLogFormat(config.logFormat, config.env, process.stdout.isTTY === true),
    ),
  );
  // Before the module graph is built: modules log while it is (AuthModule.forRoot warns about an
  // open admin API), and those lines must reach pino too, not Nest's default console format.
  Logger.overrideLogger(logger);
  const adapter = new FastifyAdapter({
    // Fastify gets no logger: with one it builds a child logger per request, measurable on the
    // check path. Nest and the exception filter log through pino, errors with their request id;
    // there is no line per request (the check path answers thousands a second).
    logger: false,
    genReqId: requestId,
    // Flag names are validated (and refused with a 400) by the DTO, not cut off by the router.
    routerOptions: { maxParamLength: 1024 },
    bodyLimit: 64 * 1024,
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    // A request that reaches a draining instance (on a keep-alive connection the client reused as
    // the instance began to close) is answered, with `Connection: close`, instead of Fastify's
    // default 503: the instance can still answer it (PostgreSQL and Redis close after the HTTP
    // server), and a balancer that retries only refused or empty connections would pass the 503
    // on to the client.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    // JSON bodies only, through our parser (addJsonBodyParser): Nest's would register its own
    // JSON parser, without the depth limit, and a form parser this API has no use for.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  addHttpHooks(fastify);
  addJsonBodyParser(fastify);
  if (config.metrics.http) app.get(MetricsService).instrument(fastify);
  app.useGlobalPipes(new ValidationPipe(validationOptions));
  app.useGlobalFilters(new HttpErrorFilter());
  // Served by Fastify alone (see OfrepBulkRoute); after `instrument`, so it has request metrics.
  fastify.route(app.get(OfrepBulkRoute).route(sendHttpError));
  setupOpenApi(app);
  await serveConsole(fastify, config.console.dir);
  await app.init();
  await fastify.ready();
  return app;
}
