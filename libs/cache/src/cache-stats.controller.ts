import { Controller, Get } from '@nestjs/common';
import { Circuits } from '@app/resilience';
import { CacheStats } from './cache-stats';
import { EdgeCache } from './edge-cache';
import { L2Cache } from './l2-cache';

@Controller('cache')
export class CacheStatsController {
  constructor(
    private readonly stats: CacheStats,
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly circuits: Circuits,
  ) {}

  /** Counters are this instance's own (see CacheStats); `keys` is the shared cache's (null when Redis does not answer in time). */
  @Get('stats')
  async get() {
    const s = this.stats;
    const hits = s.check.hits + s.endpoint.hits + s.list.hits;
    const misses = s.check.misses + s.endpoint.misses + s.list.misses;
    return {
      scope: 'instance',
      hits,
      misses,
      hit_rate: hits + misses === 0 ? 0 : hits / (hits + misses),
      layers: { check: s.check, endpoint: s.endpoint, service: s.service, list: s.list },
      edge: { flags: this.edge.size, max_flags: this.edge.max, hits: s.edgeHits },
      ofrep_bulk_memo: s.ofrepBulk,
      redis: { state: this.l2.state, hits: s.redisHits, errors: s.redisErrors },
      invalidations: { sent: s.invalidationsSent, received: s.invalidationsReceived },
      keys: await this.l2.keyCount(),
      circuits: this.circuits.snapshot(),
      db_reads: s.dbReads,
      stale: s.staleServed,
      uptime_s: Math.round((Date.now() - s.startedAt) / 1000),
    };
  }
}
