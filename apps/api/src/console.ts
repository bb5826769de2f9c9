import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

export const CONSOLE_PREFIX = '/ui';

/**
 * The console is static files and talks to the API like any client, so its only power is the
 * token a person types in. Only scripts and styles of this origin: the build emits no inline
 * script or style element (checked by the browser suite, which fails on a CSP violation).
 * React sets element styles through the CSSOM, which style-src does not govern.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgeflags console not built</title></head>
<body><h1>The edgeflags console is not built</h1>
<p>Run <code>npm run build:console</code> (or <code>npm run build</code>), then reload this page.</p>
</body></html>`;

/**
 * Serves the built console at /ui/ with Fastify routes registered outside Nest, so they stay out
 * of the OpenAPI document. Hashed assets are immutable; index.html is revalidated so a deploy
 * is picked up on the next load. When the build is missing, /ui says how to make it instead of
 * a bare 404.
 */
export async function serveConsole(fastify: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir);
  fastify.get(CONSOLE_PREFIX, (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 301));
  if (!existsSync(resolve(root, 'index.html'))) {
    new Logger('Console').warn(`no console build in ${root}: run npm run build:console`);
    fastify.get(`${CONSOLE_PREFIX}/*`, (_request, reply) =>
      reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: `${CONSOLE_PREFIX}/`,
    decorateReply: false,
    wildcard: true,
    setHeaders(reply, path) {
      void reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
