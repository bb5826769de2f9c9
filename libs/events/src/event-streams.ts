import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ChangeRecord } from '@app/cache';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ChangeLog } from '@app/flags';
import { MetricsService } from '@app/metrics';
import { Gauge } from 'prom-client';
import { ChangeFeed } from './change-feed';
import { Resume } from './resume';
import { changeMessage, KEEPALIVE, OPENED, refetchMessage } from './sse';

/** What each kind of stream sends for a change. */
export type StreamKind = 'changes' | 'ofrep';

/** Changes read per replay query; a long absence is replayed in several. */
const REPLAY_PAGE = 500;

/**
 * A client that reads slower than changes come: past this much unsent output its stream is
 * ended (it reconnects with Last-Event-ID and is replayed from PostgreSQL), so one stuck client
 * cannot make the process hold an unbounded backlog.
 */
const MAX_BACKLOG_BYTES = 1 << 20;

/** One framed message per change, whatever the number of streams it goes to. */
const framed = {
  changes: new WeakMap<ChangeRecord, string>(),
  ofrep: new WeakMap<ChangeRecord, string>(),
};
function frame(kind: StreamKind, change: ChangeRecord): string {
  let message = framed[kind].get(change);
  if (message === undefined) {
    message = kind === 'changes' ? changeMessage(change) : refetchMessage(change);
    framed[kind].set(change, message);
  }
  return message;
}

class OpenStream {
  readonly resume: Resume;

  constructor(
    readonly res: ServerResponse,
    kind: StreamKind,
    after: number,
  ) {
    this.resume = new Resume(after, (change) => this.write(frame(kind, change)));
  }

  write(text: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(text);
    // Destroyed, not ended: ending would wait for the backlog to drain, which it does not.
    if (this.res.writableLength > MAX_BACKLOG_BYTES) this.res.destroy();
  }
}

/**
 * The open event streams of this instance: opens them (headers, replay), writes every change
 * to each, keeps idle ones alive, and ends them all at once when the application shuts down, so
 * that a graceful shutdown never waits on a stream (they would otherwise never end).
 */
@Injectable()
export class EventStreams implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(EventStreams.name);
  private readonly streams = new Set<OpenStream>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closing = false;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly changes: ChangeLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    const streams = this.streams;
    new Gauge({
      name: 'edgeflags_event_streams_open',
      help: 'Event streams (GET /events, OFREP) open on this instance',
      registers: [metrics.registry],
      collect() {
        this.set(streams.size);
      },
    });
  }

  onModuleInit(): void {
    this.unsubscribe = this.feed.subscribe((change) => {
      for (const stream of this.streams) stream.resume.live(change);
    });
    // One timer for every stream rather than one each: thousands of streams, one wake-up.
    this.timer = setInterval(() => {
      for (const stream of this.streams) stream.write(KEEPALIVE);
    }, this.config.events.keepaliveMs);
    this.timer.unref();
  }

  /** Before the HTTP server closes (Nest runs this first): it then has no stream to wait for. */
  onModuleDestroy(): void {
    this.closing = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes the response over from Fastify and keeps it open. `after`: the Last-Event-ID, whose
   * later changes are replayed from PostgreSQL first. The headers Fastify's hooks set (request
   * id, security headers) are carried over, since a hijacked reply no longer sends them; nothing
   * in between compresses or buffers the body.
   */
  async open(reply: FastifyReply, kind: StreamKind, after: number | undefined): Promise<void> {
    if (this.closing)
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'shutting down: reconnect to another instance',
      });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx (and proxies that copy it) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write(OPENED);
    const stream = new OpenStream(res, kind, after ?? 0);
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
    // A client gone mid-write: its 'close' removes the stream; the error needs no other handling.
    res.on('error', () => undefined);
    if (after === undefined || kind === 'ofrep') {
      // OFREP providers refetch the whole evaluation after every reconnection (ADR 0008): a
      // replay would only make them refetch again.
      stream.resume.finish();
      return;
    }
    await this.replay(stream, after);
  }

  private async replay(stream: OpenStream, after: number): Promise<void> {
    let from = after;
    try {
      for (;;) {
        const page = await this.changes.since(from, REPLAY_PAGE);
        for (const change of page) stream.resume.replay(change);
        if (page.length < REPLAY_PAGE || stream.res.writableEnded) break;
        from = page[page.length - 1].revision;
      }
      stream.resume.finish();
    } catch (error) {
      // Without the replay the client would silently miss changes: end the stream, and its
      // reconnection (same Last-Event-ID, EventSource retries by itself) tries again.
      this.log.warn(`replay after revision ${after} failed: ${(error as Error).message}`);
      stream.res.end();
    }
  }
}
