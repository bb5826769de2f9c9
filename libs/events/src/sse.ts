import type { ChangeRecord } from '@app/cache';

/**
 * The wire format of the change stream (text/event-stream). Every message is framed once and
 * the same string is written to every open stream. Flag names are identifiers and the data is
 * one line of JSON (JSON.stringify escapes line breaks), so no field can break the framing.
 */

/** A comment line: ignored by every SSE client, but traffic for proxies that cut idle connections. */
export const KEEPALIVE = ': keepalive\n\n';

/** Sent first, so the client (and any proxy) sees bytes at once. */
export const OPENED = ': stream open\n\n';

/**
 * A change, with the default event type (no `event:` line) so that EventSource's `onmessage`
 * and any fetch-based reader get it; `id` is the revision, which a reconnecting client sends back
 * as Last-Event-ID.
 */
export function changeMessage(c: ChangeRecord): string {
  const data = { flag: c.flag, action: c.action, revision: c.revision, actor: c.actor, at: c.at };
  return `id: ${c.revision}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * OFREP's notification (ADR 0008): refetch the bulk evaluation. The `etag` names the revision
 * that caused it (the bulk response's own ETag digests one context's answers, which the stream
 * cannot know); `lastModified` is the change's time in Unix seconds, as the ADR recommends.
 */
export function refetchMessage(c: ChangeRecord): string {
  const data = {
    type: 'refetchEvaluation',
    etag: `"${c.revision}"`,
    lastModified: Math.floor(Date.parse(c.at) / 1000),
  };
  return `id: ${c.revision}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A Last-Event-ID as sent back: a revision, or a reason it is not one. */
export function parseLastEventId(
  value: string | undefined,
): { after: number | undefined } | { error: string } {
  if (value === undefined || value === '') return { after: undefined };
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)))
    return { error: 'must be a revision: the id of the last event received (a whole number)' };
  return { after: Number(value) };
}
