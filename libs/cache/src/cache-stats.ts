import { Injectable } from '@nestjs/common';

export class LayerCounter {
  hits = 0;
  misses = 0;
  toJSON() {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hit_rate: total === 0 ? 0 : this.hits / total };
  }
}

/**
 * Counters of this instance (not cluster-wide: each instance counts what it served; sum them
 * across instances, or scrape each one). Plain integer increments: nothing on the hot path.
 */
@Injectable()
export class CacheStats {
  readonly startedAt = Date.now();
  readonly check = new LayerCounter();
  readonly endpoint = new LayerCounter();
  readonly service = new LayerCounter();
  readonly list = new LayerCounter();
  edgeHits = 0;
  redisHits = 0;
  dbReads = 0;
  staleServed = 0;
  redisErrors = 0;
  invalidationsSent = 0;
  invalidationsReceived = 0;
}
