import http, { IncomingMessage } from 'node:http';
import { waitFor } from './test-app';

export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** A change as GET /events sends it. */
export interface ChangeEvent {
  flag: string;
  action: string;
  revision: number;
  actor: string;
  at: string;
}

/**
 * A reader of one text/event-stream response, keeping every message and comment it has
 * received. A deliberately small parser of the format: fields `id`, `event`, `data` (lines
 * joined), comments; a blank line ends a message. Over node:http with a connection of its own
 * (no pool): closing it closes exactly that connection, so the app's shutdown has nothing left
 * to wait for (undici's fetch may open a spare connection after an abort).
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  /** Settles when the server ends the stream (or the client closes it). */
  readonly ended: Promise<void>;

  private constructor(readonly response: IncomingMessage) {
    this.ended = this.read();
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      http
        .get(url, { headers, agent: false }, (response) => resolve(new SseClient(response)))
        .on('error', reject);
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  header(name: string): string | undefined {
    const value = this.response.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** The `data` of every message that is a change (has a `flag`), parsed. */
  get changes(): ChangeEvent[] {
    return this.messages
      .map((m) => JSON.parse(m.data) as Partial<ChangeEvent>)
      .filter((d): d is ChangeEvent => typeof d.flag === 'string');
  }

  /** Waits until a change of `flag` with `action` has arrived; returns it. */
  async change(flag: string, action: string, timeoutMs = 5000): Promise<ChangeEvent> {
    const find = () => this.changes.find((c) => c.flag === flag && c.action === action);
    await waitFor(() => find() !== undefined, timeoutMs, 5);
    return find()!;
  }

  close(): void {
    this.response.destroy();
  }

  private async read(): Promise<void> {
    this.response.setEncoding('utf8');
    let buffer = '';
    try {
      for await (const chunk of this.response as AsyncIterable<string>) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close(), or the connection was cut: `ended` settles either way
    }
  }

  private parse(block: string): void {
    const message: SseMessage = { id: undefined, event: undefined, data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) message.id = line.slice(4);
      else if (line.startsWith('event: ')) message.event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    message.data = data.join('\n');
    this.messages.push(message);
  }
}
