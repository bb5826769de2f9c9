import { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Longest user id accepted; longer ones are rejected with 400 by the query DTO. */
export const MAX_USER_ID_LENGTH = 256;

type FlagRequest = FastifyRequest<{
  Params: { flag_name?: string };
  Querystring: { user_id?: unknown };
}>;

/**
 * The flag name and user id of a request, when they are plain enough to answer from cache
 * without running the validation pipe (which runs after interceptors). Anything unusual returns
 * undefined and takes the normal path, where the DTOs reject it with a 400 naming the field.
 */
export function readFlagRequest(
  context: ExecutionContext,
): { flag: string; userId: string | undefined } | undefined {
  const request = context.switchToHttp().getRequest<FlagRequest>();
  const flag = request.params.flag_name;
  const userId = request.query.user_id;
  if (typeof flag !== 'string') return undefined;
  if (userId !== undefined && (typeof userId !== 'string' || userId.length > MAX_USER_ID_LENGTH))
    return undefined;
  return { flag, userId };
}
