import { SseParser } from './sse';

// The client of the service's change stream (`GET /events`): one message per flag change, `id:`
// its revision, `data:` {flag, action, revision, actor}. Read with fetch and a streaming body
// reader, because EventSource cannot send the bearer token; reconnects on its own with
// Last-Event-ID, so the server replays what was missed while it was away.

export interface FlagChange {
  flag: string;
  action: string;
  revision: number;
  actor: string;
}

/**
 * connecting: the first attempt; open: changes arrive as they happen; down: lost, reconnecting;
 * unsupported: this server has no change stream (an older version), retried now and then.
 */
export type StreamState = 'connecting' | 'open' | 'down' | 'unsupported';

export interface ChangeStreamOptions {
  token: () => string | null;
  onChange: (change: FlagChange) => void;
  onState: (state: StreamState) => void;
  /**
   * The stream opened again with no event id to resume from (it dropped before the first
   * message): changes made meanwhile cannot be replayed, so what is shown may be stale.
   */
  onResync?: () => void;
  url?: string;
  fetch?: typeof fetch;
  /** The wait before reconnection attempt `n` (0 after a stream that was open), in ms. */
  backoffMs?: (attempt: number) => number;
  /** The wait before asking a server without a stream again, in ms. */
  unsupportedRetryMs?: number;
}

/** 1, 2, 4, 8, 16, then every 30 s: a restarting service is not hammered by every open console. */
export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/** The change a message announces; null for anything else (messages without `flag` are ignored). */
export function parseChange(data: string): FlagChange | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const m = parsed as Record<string, unknown>;
  if (typeof m.flag !== 'string' || m.flag === '') return null;
  return {
    flag: m.flag,
    action: typeof m.action === 'string' ? m.action : 'update',
    revision: typeof m.revision === 'number' ? m.revision : 0,
    actor: typeof m.actor === 'string' ? m.actor : '',
  };
}

const isEventStream = (response: Response) =>
  (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');

/** A wait that ends early, resolving, when the stream is closed. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

type Outcome = 'ended' | 'refused' | 'unsupported';

/** Opens the stream and keeps it open until the returned function is called. */
export function openChangeStream(options: ChangeStreamOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const url = options.url ?? '/events';
  const request = options.fetch ?? ((input, init) => fetch(input, init));
  const backoff = options.backoffMs ?? defaultBackoff;
  let lastEventId = '';
  let serverRetryMs: number | undefined;
  let state: StreamState | undefined;
  let everOpen = false;
  const enter = (next: StreamState) => {
    if (next === state || signal.aborted) return;
    state = next;
    options.onState(next);
  };

  const connect = async (): Promise<Outcome> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const response = await request(url, { headers, signal, cache: 'no-store' });
    if (!response.ok || !isEventStream(response) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      return response.status === 404 || response.status === 405 ? 'unsupported' : 'refused';
    }
    const resumable = lastEventId !== '';
    enter('open');
    if (everOpen && !resumable) options.onResync?.();
    everOpen = true;
    const parser = new SseParser((message) => {
      lastEventId = message.lastEventId;
      if (message.event !== 'message') return;
      const change = parseChange(message.data);
      if (change !== null) options.onChange(change);
    }, lastEventId);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      serverRetryMs = parser.retryMs ?? serverRetryMs;
      lastEventId = parser.lastEventId;
    }
    return 'ended';
  };

  void (async () => {
    enter('connecting');
    let attempt = 0;
    while (!signal.aborted) {
      let outcome: Outcome;
      try {
        outcome = await connect();
      } catch {
        outcome = 'refused'; // network error, or the stream broke mid-way
      }
      if (signal.aborted) break;
      if (state === 'open') attempt = 0;
      enter(outcome === 'unsupported' ? 'unsupported' : 'down');
      const wait =
        outcome === 'unsupported'
          ? (options.unsupportedRetryMs ?? 60_000)
          : Math.max(backoff(attempt), attempt === 0 ? (serverRetryMs ?? 0) : 0);
      attempt++;
      await pause(wait, signal);
    }
  })();

  return () => controller.abort();
}
