// @ts-check
// A minimal reader of GET /events for the benchmarks: one connection of its own per stream
// (no pool), the arrival time of every message with an id, nothing else kept.
import http from 'node:http';

/**
 * @typedef {object} SseStream
 * @property {() => void} close
 */

/**
 * Opens a stream; resolves once its first line (`: stream open`) has arrived, when the service
 * sends it every change.
 * @param {string} url
 * @param {(id: number, at: bigint) => void} onMessage called with the id and process.hrtime.bigint() of its arrival
 * @returns {Promise<SseStream>}
 */
export function openStream(url, onMessage) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} -> HTTP ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (/** @type {string} */ chunk) => {
        const at = process.hrtime.bigint();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block === ': stream open') resolve({ close: () => req.destroy() });
          const id = /^id: (\d+)$/m.exec(block);
          if (id) onMessage(Number(id[1]), at);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
  });
}
