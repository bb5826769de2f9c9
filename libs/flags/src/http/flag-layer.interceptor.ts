import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { CacheOutcome, CacheStats, L2Cache, LayerCounter } from '@app/cache';
import type { EvaluationContext, FlagDefinition } from '@app/flag-model';
import { FlagReader } from '../flag-reader';
import { readContext } from './request-context';

type FlagRequest = FastifyRequest<{
  Params: { flag_name?: string };
  Querystring: Record<string, unknown>;
}>;

/**
 * A per-flag, per-user cache layer in front of a flag endpoint (the check layer and the
 * endpoint layer are the two instances).
 *
 * Hot path, when the flag is in the edge cache at its current revision: no await, no network,
 * no validation pipe; one Map lookup and one evaluation of the definition (a hash, plus the
 * rules' conditions when it has rules). This is the path that answers almost every request, so
 * it allocates as little as the subclass lets it.
 * Cold path: one Redis GET of the per-user answer, else the handler (service cache, then
 * PostgreSQL, single-flight) and a fire-and-forget SET of what it answered. Keys embed the
 * flag's revision, so an update makes them all unreachable at once. A request that carries
 * attributes skips the per-user answers (their keys hold the user only, and an answer may depend
 * on any attribute a rule reads): it is answered from the flag's definition instead.
 */
export abstract class FlagLayerInterceptor<
  Body extends { _cache: CacheOutcome },
  Stored,
> implements NestInterceptor<Body, Body> {
  protected constructor(
    private readonly reader: FlagReader,
    private readonly l2: L2Cache,
    private readonly stats: CacheStats,
    private readonly layer: LayerCounter,
    private readonly ttlMs: number,
  ) {}

  /** The response computed from the definition in memory, marked as a hit. */
  protected abstract fromDefinition(flag: FlagDefinition, context: EvaluationContext): Body;
  protected abstract key(flag: string, revision: number, userId: string | undefined): string;
  /** What is kept in Redis for a response, and the hit response made from it. */
  protected abstract toStored(body: Body): Stored;
  protected abstract fromStored(stored: Stored): Body;

  intercept(context: ExecutionContext, next: CallHandler<Body>): Observable<Body> {
    const request = context.switchToHttp().getRequest<FlagRequest>();
    const name = request.params.flag_name;
    if (typeof name !== 'string') return next.handle();
    const evaluation = readContext(request.query);
    if (evaluation === undefined) return next.handle(); // the handler answers the 400
    const flag = this.reader.peek(name);
    if (flag !== undefined) {
      this.layer.hits++;
      this.stats.edgeHits++;
      return of(this.fromDefinition(flag, evaluation));
    }
    const revision = this.reader.revisionOf(name);
    // Unknown flag: the handler answers 404. Attributes: the handler evaluates the definition.
    if (revision === undefined || evaluation.hasAttributes) return next.handle();
    return from(this.coldPath(this.key(name, revision, evaluation.userId), next));
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
