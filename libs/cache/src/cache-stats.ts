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
 * The OFREP bulk memo's figures (libs/ofrep keeps them up to date; they are here so that
 * /cache/stats and /metrics read every cache of the instance from one place).
 */
export class MemoCounter extends LayerCounter {
  /** Contexts whose answers are held. */
  entries = 0;
  /** What they take, in the unit of the bound (see OfrepBulkMemo). */
  bytes = 0;
  maxBytes = 0;
  override toJSON() {
    return {
      ...super.toJSON(),
      entries: this.entries,
      bytes: this.bytes,
      max_bytes: this.maxBytes,
    };
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
  /** OFREP bulk answers per (flag list, context): not a layer of the check's cache-aside. */
  readonly ofrepBulk = new MemoCounter();
  edgeHits = 0;
  redisHits = 0;
  dbReads = 0;
  staleServed = 0;
  redisErrors = 0;
  invalidationsSent = 0;
  invalidationsReceived = 0;
}
