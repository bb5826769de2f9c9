import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CONSOLE_CSP, CONSOLE_PREFIX } from './console';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Made ids are this process's random prefix and a counter: unique across instances and restarts
// for practical purposes, and far cheaper per request than a UUID.
const prefix = randomBytes(6).toString('base64url');
let sequence = 0;

/** Honours a well-formed incoming x-request-id (so a trace crosses services); otherwise makes one. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming)
    ? incoming
    : `${prefix}-${(++sequence).toString(36)}`;
}

/**
 * Headers for a JSON API, set in one object per response. Helmet's defaults are written for
 * HTML pages (CSP for scripts, cross-origin policies for embedding) and cost a middleware per
 * request on the hot path; an API needs these. HSTS belongs at the TLS terminator.
 */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** The swagger UI needs scripts and styles of its own origin. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'";

export function addHttpHooks(fastify: FastifyInstance): void {
  // Graceful shutdown: a keep-alive connection whose request was in flight when close began
  // becomes idle only after its response; close such connections as soon as they are idle
  // rather than after their keep-alive timeout (72 s).
  fastify.addHook('preClose', (done) => {
    const timer = setInterval(() => fastify.server.closeIdleConnections(), 50);
    fastify.server.once('close', () => clearInterval(timer));
    done();
  });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
    if (request.url.startsWith('/docs')) void reply.header('content-security-policy', DOCS_CSP);
    else if (request.url.startsWith(CONSOLE_PREFIX))
      void reply.header('content-security-policy', CONSOLE_CSP);
    done();
  });
}
