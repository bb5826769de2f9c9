import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CacheStats, EdgeCache, L2Cache } from '@app/cache';

type Child = { count: Counter.Internal; duration: Histogram.Internal<string> };

/**
 * Prometheus metrics (prom-client). Request metrics are recorded by one Fastify onResponse hook
 * with per-(route, method, status) children cached in nested Maps, so a request costs a few Map
 * lookups and one histogram observation, with no label-string building. Cache and database
 * figures are not counted twice: they are read from CacheStats when Prometheus scrapes.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'edgeflags_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'edgeflags_http_request_duration_seconds',
    help: 'Time from request received to response sent, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  private readonly children = new Map<string, Map<string, Map<number, Child>>>();

  constructor(stats: CacheStats, edge: EdgeCache, l2: L2Cache) {
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
  }

  /**
   * Adds request metrics to every route registered from now on (call it before the routes are):
   * each route gets its own onResponse hook that knows its template, so no request pays for
   * Fastify's `routeOptions` getter. Requests that match no route are not counted.
   */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const template = route.url;
      const record = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        const child = this.child(template, request.method, reply.statusCode);
        child.count.inc();
        child.duration.observe(reply.elapsedTime / 1000);
        done();
      };
      const existing = route.onResponse;
      route.onResponse =
        existing === undefined
          ? [record]
          : [...(Array.isArray(existing) ? existing : [existing]), record];
    });
  }

  private child(route: string, method: string, status: number): Child {
    let byMethod = this.children.get(route);
    if (byMethod === undefined)
      this.children.set(route, (byMethod = new Map<string, Map<number, Child>>()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map<number, Child>()));
    let child = byStatus.get(status);
    if (child === undefined) {
      const labels = { route, method, status: String(status) };
      byStatus.set(
        status,
        (child = { count: this.requests.labels(labels), duration: this.duration.labels(labels) }),
      );
    }
    return child;
  }
}
