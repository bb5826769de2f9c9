import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FlagsError, FlagsErrorCode } from '@app/flags';
import { isOfrepRequest, ofrepErrorResponse } from '@app/ofrep';

const STATUS_OF: Record<FlagsErrorCode, HttpStatus> = {
  [FlagsErrorCode.FlagNotFound]: HttpStatus.NOT_FOUND,
  [FlagsErrorCode.DatabaseUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [FlagsErrorCode.InvalidDefinition]: HttpStatus.BAD_REQUEST,
  [FlagsErrorCode.RevisionConflict]: HttpStatus.CONFLICT,
};

const log = new Logger('HttpError');

/**
 * Where an HTTP status is decided: HttpExceptions keep theirs, domain errors map by code,
 * Fastify's own client errors (bad JSON, body too large) keep their 4xx, and anything else is a
 * plain 500 with no internals, logged with the request id. OFREP requests get OFREP's shapes.
 * Nest's routes reach it through HttpErrorFilter; a route served by Fastify alone (the OFREP
 * bulk evaluation) has it as its error handler.
 */
export function sendHttpError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isOfrepRequest(request.url)) {
    const ofrep = ofrepErrorResponse(error, request.url);
    if (ofrep !== undefined) {
      void reply.status(ofrep.status).send(ofrep.body);
      return;
    }
  }
  const { status, body } = describe(error, request);
  void reply.status(status).send(body);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendHttpError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

function describe(error: unknown, request: FastifyRequest): { status: number; body: object } {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    return {
      status: error.getStatus(),
      body:
        typeof response === 'string'
          ? { statusCode: error.getStatus(), message: response }
          : response,
    };
  }
  if (error instanceof FlagsError) {
    const status = STATUS_OF[error.code];
    return {
      status,
      body: { statusCode: status, error: error.code, message: error.message, ...error.details },
    };
  }
  const clientStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
    return {
      status: clientStatus,
      body: { statusCode: clientStatus, message: (error as Error).message },
    };
  }
  log.error(
    `request ${request.id} ${request.method} ${request.url} failed`,
    error instanceof Error ? error.stack : String(error),
  );
  return { status: 500, body: { statusCode: 500, message: 'Internal server error' } };
}
