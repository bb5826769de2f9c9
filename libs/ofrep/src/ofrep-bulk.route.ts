import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ClientAuth, StreamTokens } from '@app/auth';
import { FlagReader } from '@app/flags';
import type { EvaluationContext, FlagDefinition } from '@app/flag-model';
import { OfrepBulkMemo } from './bulk-memo';
import { ofrepContext } from './ofrep-context';
import { bulkBodyBytes, bulkBodyTail } from './ofrep.presenter';

export const OFREP_BULK_PATH = '/ofrep/v1/evaluate/flags';

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  ifNoneMatch
    .split(',')
    .some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);

/** The stream token's window is part of the ETag: an expiring token gets a 200 with a fresh one. */
const withWindow = (etag: string, window: number | undefined) =>
  window === undefined ? etag : `${etag.slice(0, -1)}.${window}"`;

/** Where the provider opens its event stream when reads need no token: the same for everyone. */
const OPEN_EVENT_STREAMS: EventStreams = Object.freeze({
  streams: Object.freeze([{ type: 'sse', endpoint: { requestUri: '/events/ofrep' } }]),
});

interface EventStreams {
  readonly streams: ReadonlyArray<Record<string, unknown>>;
  readonly window?: number;
}

type ErrorHandler = (error: Error, request: FastifyRequest, reply: FastifyReply) => void;

/**
 * OFREP's bulk evaluation, `POST /ofrep/v1/evaluate/flags` (every live flag for a context, with
 * an ETag and If-None-Match), served by Fastify alone rather than through Nest's pipeline.
 *
 * Why: a client-side provider polls it, and each request answers a hundred flags in about 10 KB.
 * Measured with wrk against the same build (docs/targeting.md), Nest's per-request work (its
 * router wrapper, the guard and pipe chain, parameter resolution, the promise hops) cost 10-20%
 * of the whole request, and the request did nothing with any of it but the read-token check.
 * So the route does that check itself (ClientAuth, the same one ClientGuard applies), and its
 * errors go through the same handler as every Nest route's (given by the app as
 * `errorHandler`). The app's Fastify hooks (request id, security headers, request metrics)
 * apply as to any route. Its OpenAPI entry is added by `documentOfrepBulk`.
 */
@Injectable()
export class OfrepBulkRoute {
  private signedStreams: EventStreams | undefined;

  constructor(
    private readonly reader: FlagReader,
    private readonly memo: OfrepBulkMemo,
    private readonly streamTokens: StreamTokens,
    private readonly auth: ClientAuth,
  ) {}

  /** The route, for `fastify.route()`; register it after the request metrics' onRoute hook. */
  route(errorHandler: ErrorHandler): RouteOptions {
    return {
      method: 'POST',
      url: OFREP_BULK_PATH,
      handler: (request, reply) => this.handle(request, reply),
      errorHandler,
    };
  }

  /** Answers synchronously from memory while no flag has changed, as a REST check does. */
  handle(request: FastifyRequest, reply: FastifyReply): void | Promise<void> {
    if (this.auth.required) {
      const allowed = this.auth.allows(request, reply);
      if (allowed !== true) return allowed;
    }
    const context = ofrepContext(request.body);
    const flags = this.reader.peekAll();
    if (flags !== undefined) return this.answer(flags, context, request, reply);
    return this.reader.all().then(({ flags }) => this.answer(flags, context, request, reply));
  }

  private answer(
    flags: readonly FlagDefinition[],
    context: EvaluationContext,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const { streams, window } = this.eventStreams();
    const ifNoneMatch = request.headers['if-none-match'];
    // A revalidation is decided before evaluating: a 304 evaluates nothing.
    if (ifNoneMatch !== undefined) {
      const etag = withWindow(this.memo.etagOf(flags, context), window);
      if (matches(ifNoneMatch, etag)) {
        void reply.header('etag', etag).header('cache-control', 'no-cache').status(304).send();
        return;
      }
    }
    const bulk = this.memo.evaluate(flags, context, bulkBodyTail(streams));
    void reply
      .header('etag', withWindow(bulk.etag, window))
      .header('cache-control', 'no-cache')
      .status(200)
      .type('application/json; charset=utf-8')
      .send(bulkBodyBytes(bulk, streams));
  }

  /**
   * OFREP's SSE extension (ADR 0008): where the provider opens its event stream. An `endpoint`
   * without an origin: the provider joins it to the origin it already talks to, so it needs no
   * knowledge of proxies here. When reads need a token, the URL carries a short-lived stream
   * token, never the client's own (see StreamTokens), and its window goes into the ETag.
   */
  private eventStreams(): EventStreams {
    if (!this.streamTokens.required) return OPEN_EVENT_STREAMS;
    const { token, window } = this.streamTokens.current();
    // One object per window: the presenter serialises the streams once per object, and a
    // memoised body made in this window is sent as it is.
    if (this.signedStreams?.window !== window)
      this.signedStreams = {
        streams: [{ type: 'sse', endpoint: { requestUri: `/events/ofrep?token=${token}` } }],
        window,
      };
    return this.signedStreams;
  }
}
