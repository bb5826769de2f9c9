import { HttpException } from '@nestjs/common';

/** OFREP's error codes (OpenFeature's), as the protocol's error bodies carry them. */
export type OfrepErrorCode = 'PARSE_ERROR' | 'INVALID_CONTEXT' | 'FLAG_NOT_FOUND' | 'GENERAL';

/** An OFREP failure: `{key?, errorCode, errorDetails}` with its HTTP status. */
export class OfrepError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: OfrepErrorCode,
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'OfrepError';
  }

  static invalidContext(details: string, key?: string): OfrepError {
    return new OfrepError(400, 'INVALID_CONTEXT', details, key);
  }

  static notFound(key: string): OfrepError {
    return new OfrepError(404, 'FLAG_NOT_FOUND', `flag '${key}' was not found`, key);
  }

  body(): { key?: string; errorCode: OfrepErrorCode; errorDetails: string } {
    return this.key === undefined
      ? { errorCode: this.errorCode, errorDetails: this.message }
      : { key: this.key, errorCode: this.errorCode, errorDetails: this.message };
  }
}

const SINGLE = /^\/ofrep\/v1\/evaluate\/flags\/([^/?]+)/;
/** Whether a request is an OFREP one: its errors take OFREP's shapes. */
export const isOfrepRequest = (url: string) => url.startsWith('/ofrep/');

/**
 * An error of an OFREP request in the protocol's terms: 401/403/429 with no body (as the spec
 * says), a body that is not JSON as PARSE_ERROR, OFREP errors as they are; undefined for
 * anything else (the caller answers it as any other error: 503 for a database outage, 500).
 */
export function ofrepErrorResponse(
  error: unknown,
  url: string,
): { status: number; body?: object } | undefined {
  if (error instanceof OfrepError) return { status: error.status, body: error.body() };
  // Fastify's own client errors (a body that is not JSON) come as HttpExceptions through Nest's
  // routes, and as they are (with a statusCode) on a route served by Fastify alone.
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 401 || status === 403 || status === 429) return { status };
  const key = SINGLE.exec(url)?.[1];
  // The OFREP handlers validate their input themselves (OfrepError), so a 400 or 415 that is not
  // theirs comes from parsing the body (Fastify's parser errors reach the filter as plain
  // HttpExceptions, with only a message and a status): not JSON, empty, or not a JSON media type.
  if (status === 400 || status === 415) {
    const details = 'the request body must be JSON: {"context": {...}}';
    return {
      status: 400,
      body:
        key === undefined
          ? { errorCode: 'PARSE_ERROR', errorDetails: details }
          : { key: safeDecode(key), errorCode: 'PARSE_ERROR', errorDetails: details },
    };
  }
  return undefined;
}

function safeDecode(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
