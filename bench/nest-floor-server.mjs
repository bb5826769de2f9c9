// @ts-check
// The framework floor: the cheapest answer a NestJS 11 + Fastify app can give through an
// interceptor. `GET /flags/:flag_name/check?user_id=U` passes through Nest's router, its
// (empty) guard chain and one interceptor, which answers the same JSON as the service with the
// same rollout rule from an in-memory map (as bench/baseline-server.mjs does) via `of(...)`; the
// handler never runs. No global pipes, filters, hooks, metrics, logging, validation, cache
// layers or database: what the service spends beyond this is edgeflags' own work; what this
// spends beyond bench/baseline-server.mjs is NestJS's and Fastify's.
//
// Plain JavaScript (no compile step): decorators are applied by calling them as functions.
//
// Usage: PORT=9001 node bench/nest-floor-server.mjs
// BASELINE_FLAGS may hold a JSON object {name: {enabled, rollout_percentage}} to override the seed.
import 'reflect-metadata';
import { of } from 'rxjs';
import { isEnabledFor, referenceFlags } from './rollout.mjs';
import { requireUnknown } from './lib/untyped.mjs';

// Nest's packages are CommonJS; require them as such.
const { Controller, Get, Injectable, Module, NotFoundException, UseInterceptors } =
  /** @type {typeof import('@nestjs/common')} */ (requireUnknown('@nestjs/common'));
const { NestFactory } = /** @type {typeof import('@nestjs/core')} */ (
  requireUnknown('@nestjs/core')
);
const { FastifyAdapter } = /** @type {typeof import('@nestjs/platform-fastify')} */ (
  requireUnknown('@nestjs/platform-fastify')
);

const flags = referenceFlags();

// Shared and frozen, as the service's check interceptor does: a hit allocates no response object.
const HIT_ON = Object.freeze({ enabled: true, _cache: 'hit' });
const HIT_OFF = Object.freeze({ enabled: false, _cache: 'hit' });

/** @typedef {import('@nestjs/common').NestInterceptor} NestInterceptor */

/** @implements {NestInterceptor} */
class CheckInterceptor {
  /**
   * @param {import('@nestjs/common').ExecutionContext} context
   * @param {import('@nestjs/common').CallHandler} next
   */
  intercept(context, next) {
    /** @type {{ params: { flag_name: string }, query?: Record<string, unknown> }} */
    const request = context.switchToHttp().getRequest();
    const name = request.params.flag_name;
    const flag = flags.get(name);
    if (flag === undefined) return next.handle(); // the handler answers 404
    const userId = request.query?.user_id;
    return of(
      isEnabledFor(flag, name, typeof userId === 'string' ? userId : undefined) ? HIT_ON : HIT_OFF,
    );
  }
}
Injectable()(CheckInterceptor);

class FlagsController {
  check() {
    throw new NotFoundException('flag_not_found');
  }
}
/**
 * The (target, key, descriptor) a method decorator is applied with.
 * @param {{ prototype: object }} C
 * @param {string} name
 * @returns {[object, string, PropertyDescriptor]}
 */
const method = (C, name) => [
  C.prototype,
  name,
  /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(C.prototype, name)),
];
Controller('flags')(FlagsController);
Get(':flag_name/check')(...method(FlagsController, 'check'));
UseInterceptors(CheckInterceptor)(...method(FlagsController, 'check'));

class HealthController {
  health() {
    return { status: 'ok' };
  }
}
Controller('health')(HealthController);
Get()(...method(HealthController, 'health'));

class FloorModule {}
Module({ controllers: [FlagsController, HealthController], providers: [CheckInterceptor] })(
  FloorModule,
);

const app = await NestFactory.create(FloorModule, new FastifyAdapter({ logger: false }), {
  logger: ['error', 'warn'],
});
const port = Number(process.env.PORT ?? 9001);
await app.listen(port, process.env.HOST ?? '127.0.0.1');
if (process.send) process.send({ listening: port });
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
