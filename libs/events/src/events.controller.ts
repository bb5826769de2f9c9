import {
  BadRequestException,
  Controller,
  Get,
  Headers,
  Query,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SkipClientAuth, StreamTokens } from '@app/auth';
import { EventStreams } from './event-streams';
import { parseLastEventId } from './sse';

/** OpenAPI: the body of a stream. */
const EVENT_STREAM = {
  'text/event-stream': {
    schema: {
      type: 'string',
      example:
        'id: 57\ndata: {"flag":"dark_mode","action":"update","revision":57,"actor":"ops","at":"2026-11-27T20:48:55.150Z"}\n\n',
    },
  },
};

/** Marks a route whose reply is a long-lived stream: request-latency metrics leave it out. */
const STREAM = { stream: true };

/**
 * The change stream (Server-Sent Events). Reads obey CLIENT_TOKENS like every read (the global
 * ClientGuard); OFREP's stream is opened by EventSource, which cannot send a header, so it is
 * authenticated by a stream token in its URL instead (StreamTokens).
 */
@Controller('events')
@ApiTags('Events')
export class EventsController {
  constructor(
    private readonly streams: EventStreams,
    private readonly tokens: StreamTokens,
  ) {}

  @Get()
  @RouteConfig(STREAM)
  @ApiBearerAuth('client')
  @ApiSecurity('X-API-Key')
  @ApiOperation({
    summary: 'Every flag change, live, from every instance (text/event-stream)',
    description:
      'One message per change (create, update, archive, restore, invalidate): `id:` the revision, ' +
      '`data:` JSON `{"flag","action","revision","actor","at"}`, default event type. A comment ' +
      'line `: keepalive` every EVENTS_KEEPALIVE_MS (15 s). Reconnect with `Last-Event-ID` (header, ' +
      'or `last_event_id` query parameter) to first receive every recorded change after that ' +
      'revision, then live ones, with no gap and no duplicate.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id (revision) of the last event received',
  })
  @ApiQuery({
    name: 'last_event_id',
    required: false,
    description: 'The same, for clients that cannot set headers',
  })
  @ApiResponse({
    status: 200,
    description: 'The stream (text/event-stream), open until the client or the server ends it',
    content: EVENT_STREAM,
  })
  @ApiResponse({ status: 400, description: 'Last-Event-ID is not a revision (`field` names it)' })
  @ApiResponse({
    status: 401,
    description: 'CLIENT_TOKENS set and no valid client or admin token; no stream',
  })
  changes(
    @Headers('last-event-id') header: string | undefined,
    @Query('last_event_id') query: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const field = header !== undefined ? 'Last-Event-ID' : 'last_event_id';
    const parsed = parseLastEventId(header ?? query);
    if ('error' in parsed)
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field} ${parsed.error}`,
        field,
      });
    return this.streams.open(reply, 'changes', parsed.after);
  }

  @Get('ofrep')
  @RouteConfig(STREAM)
  @SkipClientAuth()
  @ApiOperation({
    summary: "OFREP's event stream (ADR 0008): `refetchEvaluation` on every change",
    description:
      'The URL is advertised in the bulk evaluation response (`eventStreams`), with a stream token ' +
      'valid 10 minutes when CLIENT_TOKENS is set. Messages: `data: {"type":"refetchEvaluation",' +
      '"etag":"\\"<revision>\\"","lastModified":<unix seconds>}`.',
  })
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'The stream token (required when CLIENT_TOKENS is set)',
  })
  @ApiResponse({
    status: 200,
    description: 'The stream (text/event-stream)',
    content: EVENT_STREAM,
  })
  @ApiResponse({ status: 401, description: 'Missing, invalid or expired stream token; no stream' })
  ofrep(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (this.tokens.required) {
      const refused = this.tokens.check(token);
      if (refused !== null)
        throw new UnauthorizedException({
          statusCode: 401,
          error: 'Unauthorized',
          message: refused,
        });
    }
    return this.streams.open(reply, 'ofrep', undefined);
  }
}
