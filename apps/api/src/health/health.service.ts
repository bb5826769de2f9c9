import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { L2Cache } from '@app/cache';

const PING_TIMEOUT_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly l2: L2Cache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report() {
    const database = await this.pingDatabase();
    const cache = this.l2.state;
    const degraded = database === 'down' || cache === 'down';
    return {
      status: degraded ? 'degraded' : 'ok',
      database: { status: database, backend: this.config.database.kind },
      cache: { status: cache === 'down' ? 'down' : 'up', backend: this.config.redis.kind },
    };
  }

  private async pingDatabase(): Promise<'up' | 'down'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS)),
    );
    try {
      await Promise.race([this.db.query('SELECT 1'), timeout]);
      return 'up';
    } catch {
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
