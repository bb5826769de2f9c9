import http from 'node:http';
import { Readable } from 'node:stream';
import { EventSource, type EventSourceInit, type FetchLike } from 'eventsource';

/**
 * The WHATWG EventSource for Node (the `eventsource` package) over node:http with a connection
 * of its own per stream, instead of undici's fetch: when a fetch is aborted, undici may open a
 * spare connection to the server that never carries a request, and Node's server does not
 * count such a connection as idle, so the app under test could not close until it timed out.
 * What OpenFeature's OFREP web provider opens, where a browser would use its own EventSource.
 */
const ownConnection: FetchLike = (url, init) =>
  new Promise((resolve, reject) => {
    const signal = init.signal as AbortSignal | undefined;
    const req = http.get(url, { headers: init.headers, agent: false }, (res) => {
      const body = Readable.toWeb(res) as ReadableStream<Uint8Array>;
      resolve({
        body,
        url: String(url),
        status: res.statusCode ?? 0,
        redirected: false,
        headers: {
          get: (name: string) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
        },
      });
    });
    req.on('error', reject);
    signal?.addEventListener('abort', () => req.destroy(), { once: true });
  });

export class NodeEventSource extends EventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, { ...init, fetch: ownConnection });
  }
}
