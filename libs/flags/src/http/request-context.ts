import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { EvaluationContext } from '@app/flag-model';

/** Longest user id accepted; longer ones are refused with a 400. */
export const MAX_USER_ID_LENGTH = 256;
/** Longest attribute value, and most attributes, a request may carry. */
export const MAX_ATTRIBUTE_LENGTH = 1024;
export const MAX_ATTRIBUTES = 64;
/** Names a rule can read (the flag model refuses any other attribute name in a condition). */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** A request's evaluation context: the user id, and every other query parameter as an attribute. */
export interface RequestContext extends EvaluationContext {
  /** Whether the request carries attributes: per-user cached answers are keyed by user only, so they are skipped then. */
  readonly hasAttributes: boolean;
}

type Query = Readonly<Record<string, unknown>>;

/** A problem naming its parameter, or (when there is none) the number of attributes: no allocation on the hot path. */
type Inspection = { field: string; message: string } | number;

/** What is wrong with a query as a context, or how many attributes it carries: one loop over the parameters. */
function inspect(query: Query): Inspection {
  let attributes = 0;
  for (const name in query) {
    const value = query[name];
    if (name === 'user_id') {
      if (typeof value !== 'string')
        return { field: name, message: 'user_id must be a single string' };
      if (value.length > MAX_USER_ID_LENGTH)
        return { field: name, message: `user_id must be at most ${MAX_USER_ID_LENGTH} characters` };
      continue;
    }
    // A parameter no rule can name (say `a[b]`) is not an attribute: ignored, as reads always ignored unknown parameters.
    if (!ATTRIBUTE_NAME.test(name)) continue;
    if (++attributes > MAX_ATTRIBUTES)
      return { field: name, message: `at most ${MAX_ATTRIBUTES} attributes may be given` };
    if (typeof value !== 'string')
      return { field: name, message: `${name} must be a single string (attributes are strings)` };
    if (value.length > MAX_ATTRIBUTE_LENGTH)
      return { field: name, message: `${name} must be at most ${MAX_ATTRIBUTE_LENGTH} characters` };
    if (value.includes('\u0000'))
      return { field: name, message: `${name} must not contain the character U+0000` };
  }
  return attributes;
}

function toContext(query: Query, attributes: number): RequestContext {
  const userId = query.user_id as string | undefined;
  // The query object itself is the attribute map: no copy on the hot path. The flag model reads
  // only the attributes its rules name, and reads `user_id` from userId.
  return {
    userId: userId === '' ? undefined : userId,
    attributes: query,
    hasAttributes: attributes > 0,
  };
}

/** For interceptors answering from cache: undefined when the query is not acceptable (the handler then answers the 400). */
export function readContext(query: Query): RequestContext | undefined {
  const inspection = inspect(query);
  return typeof inspection === 'number' ? toContext(query, inspection) : undefined;
}

/** For handlers: the context, or a 400 naming the bad parameter. */
export function parseContext(query: Query): RequestContext {
  const inspection = inspect(query);
  if (typeof inspection !== 'number')
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', ...inspection });
  return toContext(query, inspection);
}

/** `@Context() context: RequestContext` in a handler. */
export const Context = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseContext(ctx.switchToHttp().getRequest<FastifyRequest>().query as Query),
);
