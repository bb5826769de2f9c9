import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { findTooDeep } from '@app/flags';

/**
 * The deepest nesting a JSON body may have (the body itself is level 1). Validation and
 * class-transformer walk bodies recursively, so a body of a few thousand nested arrays (a few
 * KiB) would overflow the stack there; no real flag definition is anywhere near this deep.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Fastify's own JSON parser (same body limit, same 400 for bad JSON and for `__proto__` or
 * `constructor.prototype` keys), followed by an iterative depth check, so that a too-deep body
 * is refused with a 400 naming where it is too deep before any validation runs. JSON.parse
 * itself is iterative in V8 and copes with any depth that fits in the body limit.
 */
export function addJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    // parseAs 'string' hands the parser a string; the type covers Buffer parsers too.
    parse(request, body as string, (error: Error | null, value?: unknown) => {
      if (error !== null) return done(error, undefined);
      const deep = findTooDeep(value, MAX_BODY_DEPTH);
      if (deep === undefined) return done(null, value);
      done(
        new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: `${deep} is nested deeper than ${MAX_BODY_DEPTH} levels`,
          field: deep,
        }),
        undefined,
      );
    }),
  );
}
