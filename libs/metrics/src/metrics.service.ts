import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { CacheStats, EdgeCache, L2Cache } from '@app/cache';
import { Circuits, CircuitState, Dependency } from '@app/resilience';
import { HttpMetrics } from './http-metrics';

/**
 * Prometheus metrics: prom-client for the process, cache and database figures (read from
 * CacheStats when Prometheus scrapes, so they cost nothing per request), HttpMetrics for the
 * per-request count and latency histogram (see there why).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly http = new HttpMetrics();

  constructor(stats: CacheStats, edge: EdgeCache, l2: L2Cache, circuits: Circuits) {
    collectDefaultMetrics({ register: this.registry, prefix: 'edgeflags_' });
    const mirror = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const byLayer = (name: string, help: string, field: 'hits' | 'misses') =>
      new Counter({
        name,
        help,
        labelNames: ['layer'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const layer of ['check', 'endpoint', 'service', 'list'] as const)
            this.inc({ layer }, stats[layer][field]);
        },
      });
    byLayer('edgeflags_cache_hits_total', 'Answers served from a cache, by layer', 'hits');
    byLayer('edgeflags_cache_misses_total', 'Answers that had to be loaded, by layer', 'misses');
    mirror(
      'edgeflags_edge_hits_total',
      'Answers served from the in-process edge cache',
      () => stats.edgeHits,
    );
    mirror('edgeflags_db_reads_total', 'Reads of flag data from PostgreSQL', () => stats.dbReads);
    mirror(
      'edgeflags_stale_served_total',
      'Answers served from last known data while PostgreSQL was down',
      () => stats.staleServed,
    );
    mirror(
      'edgeflags_redis_errors_total',
      'Redis commands that failed or timed out',
      () => stats.redisErrors,
    );
    mirror(
      'edgeflags_invalidations_sent_total',
      'Invalidation messages published',
      () => stats.invalidationsSent,
    );
    mirror(
      'edgeflags_invalidations_received_total',
      'Invalidation messages received',
      () => stats.invalidationsReceived,
    );
    mirror(
      'edgeflags_ofrep_bulk_memo_hits_total',
      'OFREP bulk evaluations answered from the memo of recent contexts',
      () => stats.ofrepBulk.hits,
    );
    mirror(
      'edgeflags_ofrep_bulk_memo_misses_total',
      'OFREP bulk evaluations that evaluated every flag',
      () => stats.ofrepBulk.misses,
    );
    new Gauge({
      name: 'edgeflags_ofrep_bulk_memo_bytes',
      help: 'Size of the answers the OFREP bulk memo holds (bounded at 4 MiB)',
      registers: [this.registry],
      collect() {
        this.set(stats.ofrepBulk.bytes);
      },
    });
    new Gauge({
      name: 'edgeflags_flags',
      help: 'Live flags known to this instance',
      registers: [this.registry],
      collect() {
        this.set(edge.knownFlags);
      },
    });
    new Gauge({
      name: 'edgeflags_redis_up',
      help: '1 when the Redis connection is ready (or no Redis is configured), 0 otherwise',
      registers: [this.registry],
      collect() {
        this.set(l2.state === 'down' ? 0 : 1);
      },
    });
    const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };
    const dependencies: Dependency[] = ['database', 'redis'];
    new Gauge({
      name: 'edgeflags_circuit_state',
      help: 'Circuit breaker of each dependency: 0 closed, 1 half-open (probing), 2 open (calls that can be skipped are)',
      labelNames: ['dependency'],
      registers: [this.registry],
      collect() {
        for (const dependency of dependencies)
          this.set({ dependency }, STATE_VALUE[circuits[dependency].state]);
      },
    });
    new Gauge({
      name: 'edgeflags_circuit_failures',
      help: 'Consecutive failed calls to each dependency (0 while its breaker is closed)',
      labelNames: ['dependency'],
      registers: [this.registry],
      collect() {
        for (const dependency of dependencies)
          this.set({ dependency }, circuits[dependency].failures);
      },
    });
  }

  /**
   * Adds request metrics to every route registered from now on (call it before the routes are):
   * each route gets its own onResponse hook that knows its template, so no request pays for
   * Fastify's `routeOptions` getter. Requests that match no route are not counted.
   */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      // A stream's "latency" is how long the client stayed: it would drown the histogram.
      if ((route.config as { stream?: boolean })?.stream === true) return;
      const observe = this.http.forRoute(route.url);
      const record = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
      const existing = route.onResponse;
      route.onResponse =
        existing === undefined
          ? [record]
          : [...(Array.isArray(existing) ? existing : [existing]), record];
    });
  }

  /** The whole exposition, in Prometheus text format. */
  async scrape(): Promise<string> {
    return (await this.registry.metrics()) + this.http.exposition();
  }
}
