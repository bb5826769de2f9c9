import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitSnapshot } from './circuit-breaker';

/**
 * 250 ms after the first failure, doubling with each failed probe, at most 4 s: a dependency that
 * is back is used again within 5 s (4 s plus the probe), while one that stays down costs one
 * probe every 4 s instead of a timeout per request.
 */
export const CIRCUIT_BASE_MS = 250;
export const CIRCUIT_MAX_MS = 4000;

export type Dependency = 'database' | 'redis';

/** This instance's breaker of each dependency: one home, read by the data paths, /health, /cache/stats and /metrics. */
@Injectable()
export class Circuits {
  readonly database: CircuitBreaker;
  readonly redis: CircuitBreaker;

  constructor(now: () => number = Date.now) {
    const options = { baseMs: CIRCUIT_BASE_MS, maxMs: CIRCUIT_MAX_MS, now };
    this.database = new CircuitBreaker(options);
    this.redis = new CircuitBreaker(options);
  }

  snapshot(): Record<Dependency, CircuitSnapshot> {
    return { database: this.database.snapshot(), redis: this.redis.snapshot() };
  }
}
