// @ts-check
// The floor the app is measured against: a bare node:http server answering
// `GET /flags/:name/check?user_id=U` from an in-memory map, with the same rollout rule as the app
// (bucket = murmur3_x86_32(UTF-8 of `${flag}:${user}`, seed 0) % 100 + 1; on iff enabled and
// bucket <= percentage). No framework, no validation, no cache layers, no database.
//
// Usage: PORT=9000 node bench/baseline-server.mjs
// BASELINE_FLAGS may hold a JSON object {name: {enabled, rollout_percentage}} to override the seed.
import http from 'node:http';
import { isEnabledFor, referenceFlags } from './rollout.mjs';

const flags = referenceFlags();

const CHECK = /^\/flags\/([^/]+)\/check$/;
const ON = JSON.stringify({ enabled: true, _cache: 'hit' });
const OFF = JSON.stringify({ enabled: false, _cache: 'hit' });

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} body
 */
function send(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (req.method === 'GET' && path === '/health') return send(res, 200, '{"status":"ok"}');
  const match = req.method === 'GET' ? CHECK.exec(path) : null;
  if (match === null) return send(res, 404, '{"error":"not_found"}');
  let name;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return send(res, 400, '{"error":"bad_request"}');
  }
  const flag = flags.get(name);
  if (flag === undefined) return send(res, 404, '{"error":"flag_not_found"}');
  const userId = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1)).get('user_id');
  send(res, 200, isEnabledFor(flag, name, userId ?? undefined) ? ON : OFF);
});

server.keepAliveTimeout = 60_000;
const port = Number(process.env.PORT ?? 9000);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  if (process.send) process.send({ listening: port });
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
