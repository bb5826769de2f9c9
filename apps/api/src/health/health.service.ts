import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig } from '@app/config';
import { L2Cache } from '@app/cache';

const PING_TIMEOUT_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly l2: L2Cache,
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

  /** The `GET /health` body: always 200 while the process answers, with each backend's state. */
  async report() {
    const database =
      (await this.database().catch(() => undefined))?.database.status === 'up' ? 'up' : 'down';
    const cache = this.l2.state;
    return {
      status: database === 'down' || cache === 'down' ? 'degraded' : 'ok',
      database: { status: database, backend: this.config.database.kind },
      cache: { status: cache === 'down' ? 'down' : 'up', backend: this.config.redis.kind },
    };
  }
}
