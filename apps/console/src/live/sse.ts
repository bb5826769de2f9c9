// A parser of the text/event-stream format (the HTML standard's "event stream interpretation"),
// for a stream read with fetch: EventSource cannot send an Authorization header. It is fed the
// decoded text in whatever chunks the network delivers, and calls back once per complete message.

export interface SseMessage {
  /** The `event:` field; "message" when the message names none. */
  event: string;
  /** The `data:` lines, joined with newlines. */
  data: string;
  /** The last event id seen on the stream so far (it carries over to later messages). */
  lastEventId: string;
}

export class SseParser {
  private buffer = '';
  /** A chunk ended with CR: a LF opening the next chunk belongs to the same line end. */
  private pendingCr = false;
  private data: string[] = [];
  private event = '';
  private idBuffer: string;
  /** The reconnection delay the server asked for (`retry:`), in ms. */
  retryMs: number | undefined;

  /** `lastEventId`: the id a previous connection ended at (a reconnection carries it on). */
  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private id = '',
  ) {
    this.idBuffer = id;
  }

  /** The id of the last message dispatched: what a reconnection sends as `Last-Event-ID`. */
  get lastEventId(): string {
    return this.id;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // a comment: keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default: // unknown fields are ignored
    }
  }

  private dispatch(): void {
    this.id = this.idBuffer; // even a message without data moves the id on (as EventSource does)
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return;
    this.onMessage({ event: event || 'message', data: data.join('\n'), lastEventId: this.id });
  }
}
