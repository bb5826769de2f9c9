import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig } from '@app/config';
import { L2Cache } from '@app/cache';
import { Circuits } from '@app/resilience';

const PING_TIMEOUT_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly l2: L2Cache,
    private readonly circuits: Circuits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Terminus indicator: PostgreSQL answers a ping within a second. */
  database() {
    return this.typeorm.pingCheck('database', { timeout: PING_TIMEOUT_MS });
  }

  /** Terminus indicator that reports Redis without failing readiness: flags are served without it. */
  cache() {
    return this.indicators
      .check('cache')
      .up({ state: this.l2.state, backend: this.config.redis.kind });
  }

  /**
   * The `GET /health` body: always 200 while the process answers, with each backend's state
   * (asked now, each within its own deadline, so a hung backend is reported down rather than
   * hanging the probe) and its circuit breaker.
   */
  async report() {
    const [pinged, redisAnswers] = await Promise.all([
      this.database().catch(() => undefined),
      this.l2.ping(),
    ]);
    const database = pinged?.database.status === 'up' ? 'up' : 'down';
    const cache = redisAnswers ? 'up' : 'down';
    const circuits = this.circuits.snapshot();
    return {
      status: database === 'down' || cache === 'down' ? 'degraded' : 'ok',
      database: {
        status: database,
        backend: this.config.database.kind,
        circuit: circuits.database,
      },
      cache: { status: cache, backend: this.config.redis.kind, circuit: circuits.redis },
    };
  }
}
