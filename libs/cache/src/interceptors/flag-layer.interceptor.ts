import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { LayerCounter, CacheStats } from '../cache-stats';
import { EdgeCache } from '../edge-cache';
import type { CacheOutcome, FlagSnapshot } from '../flag-snapshot';
import { L2Cache } from '../l2-cache';
import { readFlagRequest } from './flag-request';

/**
 * A per-flag, per-user cache layer in front of a flag endpoint (the check layer and the
 * endpoint layer are the two instances).
 *
 * Hot path, when the flag is in the edge cache at its current revision: no await, no network,
 * no validation pipe; one Map lookup and one rollout evaluation. This is the path that answers
 * almost every request, so it allocates as little as the subclass lets it.
 * Cold path: one Redis GET of the per-user answer, else the handler (service cache, then
 * PostgreSQL, single-flight) and a fire-and-forget SET of what it answered. Keys embed the
 * flag's revision, so an update makes them all unreachable at once.
 */
export abstract class FlagLayerInterceptor<
  Body extends { _cache: CacheOutcome },
  Stored,
> implements NestInterceptor<Body, Body> {
  protected constructor(
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly stats: CacheStats,
    private readonly layer: LayerCounter,
    private readonly ttlMs: number,
  ) {}

  /** The response computed from flag data in memory, marked as a hit. */
  protected abstract fromSnapshot(flag: FlagSnapshot, userId: string | undefined): Body;
  protected abstract key(flag: string, revision: number, userId: string | undefined): string;
  /** What is kept in Redis for a response, and the hit response made from it. */
  protected abstract toStored(body: Body): Stored;
  protected abstract fromStored(stored: Stored): Body;

  intercept(context: ExecutionContext, next: CallHandler<Body>): Observable<Body> {
    const request = readFlagRequest(context);
    if (request === undefined) return next.handle();
    const snapshot = this.edge.peek(request.flag);
    if (snapshot !== undefined) {
      this.layer.hits++;
      this.stats.edgeHits++;
      return of(this.fromSnapshot(snapshot, request.userId));
    }
    const revision = this.edge.revisionOf(request.flag);
    if (revision === undefined) return next.handle(); // unknown flag: the handler answers 404
    return from(this.coldPath(this.key(request.flag, revision, request.userId), next));
  }

  private async coldPath(key: string, next: CallHandler<Body>): Promise<Body> {
    const stored = await this.l2.get<Stored>(key);
    if (stored !== undefined) {
      this.layer.hits++;
      this.stats.redisHits++;
      return this.fromStored(stored);
    }
    this.layer.misses++;
    const body = await lastValueFrom(next.handle());
    // A stale answer (PostgreSQL down) must not be cached under the current revision.
    if (body._cache !== 'stale') this.l2.set(key, this.toStored(body), this.ttlMs);
    return body;
  }
}
