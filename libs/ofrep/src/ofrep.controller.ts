import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StreamTokens } from '@app/auth';
import { FlagReader, FlagsError, FlagsErrorCode, FLAG_NAME_PATTERN } from '@app/flags';
import type { FlagDefinition } from '@app/flag-model';
import { ofrepContext } from './ofrep-context';
import { OfrepError } from './ofrep-error';
import { bulkBodyBytes, bulkBodyTail, ofrepSuccess, OfrepSuccess } from './ofrep.presenter';
import { OfrepBulkMemo } from './bulk-memo';
import { OfrepBulkDoc, OfrepFailureDoc, OfrepRequestDoc, OfrepSuccessDoc } from './ofrep.docs';

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  ifNoneMatch
    .split(',')
    .some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);

/** Where the provider opens its event stream when reads need no token: the same for everyone. */
const OPEN_EVENT_STREAMS = Object.freeze({
  streams: Object.freeze([{ type: 'sse', endpoint: { requestUri: '/events/ofrep' } }]),
});

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0): OpenFeature SDKs' OFREP providers
 * evaluate edgeflags' flags through these two endpoints. A presenter over the same evaluation as
 * the REST reads. Errors take OFREP's shapes (OfrepErrorFilter); reads obey CLIENT_TOKENS
 * (Bearer or X-API-Key).
 */
@Controller('ofrep/v1')
@ApiTags('OpenFeature (OFREP)')
@ApiSecurity('X-API-Key')
@ApiExtraModels(OfrepFailureDoc)
export class OfrepController {
  constructor(
    private readonly reader: FlagReader,
    private readonly memo: OfrepBulkMemo,
    private readonly streamTokens: StreamTokens,
  ) {}

  @Post('evaluate/flags/:key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate one flag for a context (server-side providers)' })
  @ApiBody({ type: OfrepRequestDoc })
  @ApiResponse({ status: 200, type: OfrepSuccessDoc })
  @ApiResponse({
    status: 400,
    type: OfrepFailureDoc,
    description: 'PARSE_ERROR or INVALID_CONTEXT',
  })
  @ApiResponse({ status: 401, description: 'No body (CLIENT_TOKENS set, no valid token)' })
  @ApiResponse({ status: 404, type: OfrepFailureDoc, description: 'FLAG_NOT_FOUND' })
  evaluate(@Param('key') key: string, @Body() body: unknown): OfrepSuccess | Promise<OfrepSuccess> {
    const context = ofrepContext(body, key);
    if (!FLAG_NAME_PATTERN.test(key)) throw OfrepError.notFound(key);
    // From memory when the flag is there at its current revision: no await, as for a REST check.
    const flag = this.reader.peek(key);
    if (flag !== undefined) return ofrepSuccess(flag, context);
    return this.reader.load(key).then(
      ({ flag }) => ofrepSuccess(flag, context),
      (error: unknown) => {
        throw notFoundAsOfrep(error, key);
      },
    );
  }

  @Post('evaluate/flags')
  @ApiOperation({
    summary: 'Evaluate every live flag for a context (client-side providers); ETag / If-None-Match',
  })
  @ApiBody({ type: OfrepRequestDoc })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({
    status: 200,
    type: OfrepBulkDoc,
    headers: { ETag: { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'No answer for this context changed since the ETag' })
  @ApiResponse({
    status: 400,
    type: OfrepFailureDoc,
    description: 'PARSE_ERROR or INVALID_CONTEXT',
  })
  @ApiResponse({ status: 401, description: 'No body (CLIENT_TOKENS set, no valid token)' })
  async bulk(
    @Body() body: unknown,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const context = ofrepContext(body);
    // From memory while no flag has changed (the list memo): no await, as for a REST check.
    const flags: readonly FlagDefinition[] =
      this.reader.peekAll() ?? (await this.reader.all()).flags;
    const { streams, window } = this.eventStreams();
    // The stream token's window is part of the ETag: an expiring token gets a 200 with a fresh one.
    const tagged = (etag: string) =>
      window === undefined ? etag : `${etag.slice(0, -1)}.${window}"`;
    // A revalidation is decided before evaluating: a 304 evaluates nothing.
    if (ifNoneMatch !== undefined) {
      const etag = tagged(this.memo.etagOf(flags, context));
      if (matches(ifNoneMatch, etag)) {
        void reply.header('etag', etag).header('cache-control', 'no-cache').status(304).send();
        return;
      }
    }
    const bulk = this.memo.evaluate(flags, context, bulkBodyTail(streams));
    void reply
      .header('etag', tagged(bulk.etag))
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
  private eventStreams(): { streams: ReadonlyArray<Record<string, unknown>>; window?: number } {
    if (!this.streamTokens.required) return OPEN_EVENT_STREAMS;
    const { token, window } = this.streamTokens.current();
    return {
      streams: [{ type: 'sse', endpoint: { requestUri: `/events/ofrep?token=${token}` } }],
      window,
    };
  }
}

function notFoundAsOfrep(error: unknown, key: string): unknown {
  return error instanceof FlagsError && error.code === FlagsErrorCode.FlagNotFound
    ? OfrepError.notFound(key)
    : error;
}
