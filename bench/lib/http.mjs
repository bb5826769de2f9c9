// @ts-check
// Control requests (stats, updates, single checks) over one keep-alive connection, and raw
// HTTP/1.1 exchanges on sockets of their own (miss-burst).
import http from 'node:http';
import net from 'node:net';
import { parseJson } from './untyped.mjs';

/**
 * @typedef {import('./types').HttpAnswer} HttpAnswer
 * @typedef {import('./types').RawAnswer} RawAnswer
 * @typedef {import('./types').RequestFn} RequestFn
 * @typedef {import('./types').ServiceBody} ServiceBody
 */

/**
 * The parsed JSON, or the text itself when it is not JSON (typed as the JSON shape: its fields
 * read undefined).
 * @param {string} text
 * @returns {ServiceBody}
 */
function parseBody(text) {
  try {
    return /** @type {ServiceBody} */ (parseJson(text));
  } catch {
    return /** @type {ServiceBody} */ (/** @type {unknown} */ (text));
  }
}

/**
 * Requests carrying the admin token (the service is started with it: it refuses
 * NODE_ENV=production without one, and updates need it) unless `anonymous`.
 * @param {string} adminToken
 */
export function controlClient(adminToken) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const controlHeaders = { authorization: `Bearer ${adminToken}` };
  /** @type {RequestFn} */
  const request = (
    method,
    url,
    { timeoutMs = 10_000, via = agent, anonymous = false, body } = {},
  ) =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      /** @type {http.OutgoingHttpHeaders} */
      const headers = anonymous ? {} : { ...controlHeaders };
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const options = { method, agent: via, timeout: timeoutMs, headers };
      const req = http.request(url, options, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
        res.on('end', () => {
          const at = process.hrtime.bigint();
          const ms = Number(at - start) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseBody(text), ms, at });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  return { agent, request };
}

/**
 * The bytes of one keep-alive HTTP/1.1 request.
 * @param {string} host
 * @param {string} path
 * @param {{ method?: string, body?: string }} [options] body: JSON text
 */
export function rawRequest(host, path, { method = 'GET', body } = {}) {
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`;
  if (body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
  return Buffer.concat([
    Buffer.from(
      `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      'latin1',
    ),
    Buffer.from(body, 'utf8'),
  ]);
}

/**
 * A TCP connection to 127.0.0.1:port, for exchange().
 * @param {number} port
 * @returns {Promise<net.Socket>}
 */
export function openSocket(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.off('error', reject);
      sock.on('error', () => {});
      resolve(sock);
    });
    sock.setNoDelay(true);
    sock.on('error', reject);
  });
}

/**
 * Writes one raw HTTP/1.1 request on a keep-alive socket and reads its answer (a response with a
 * Content-Length, as the service gives): { status, body, at }, status 0 on a socket error.
 * @param {net.Socket} sock
 * @param {Buffer} requestBuffer
 * @returns {Promise<RawAnswer>}
 */
export function exchange(sock, requestBuffer, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    /** @type {Buffer} */
    let data = Buffer.alloc(0);
    /** @param {Omit<RawAnswer, 'at'>} answer */
    const done = (answer) => {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('close', onClose);
      resolve({ at: process.hrtime.bigint(), ...answer });
    };
    const onClose = () => done({ status: 0, error: 'connection closed' });
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      data = data.length ? Buffer.concat([data, chunk]) : chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = data.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      const text = data.subarray(end + 4, end + 4 + length).toString('utf8');
      done({ status: Number(head.slice(9, 12)), body: parseBody(text) });
    };
    const timer = setTimeout(() => done({ status: 0, error: 'timed out' }), timeoutMs);
    sock.on('data', onData);
    sock.on('close', onClose);
    sock.write(requestBuffer);
  });
}
