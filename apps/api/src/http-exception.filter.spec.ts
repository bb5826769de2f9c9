import {
  ArgumentsHost,
  BadRequestException,
  HttpException,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { FlagsError, FlagsErrorCode } from '@app/flags';
import { HttpErrorFilter } from './http-exception.filter';

// The filter needs only these modules of the two libraries; their barrels also load Nest's module
// graph, TypeORM and the OFREP controllers, seconds per load that the mutation run would pay for
// every mutant of the filter. The real modules stand in for the barrels: nothing is faked.
jest.mock('@app/flags', () => jest.requireActual('../../../libs/flags/src/flags.errors'));
jest.mock('@app/ofrep', () => jest.requireActual('../../../libs/ofrep/src/ofrep-error'));

/** What the filter sent: the status and the body given to Fastify's reply. */
interface Sent {
  status?: number;
  body?: unknown;
  sends: number;
}

function answer(error: unknown, url = '/flags/f', method = 'GET'): Sent {
  const sent: Sent = { sends: 0 };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body?: unknown) {
      sent.body = body;
      sent.sends++;
      return reply;
    },
  };
  const request = { id: 'req-7', method, url };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(error, host);
  return sent;
}

/** An error as Fastify raises its own client errors (bad JSON, body too large). */
const clientError = (statusCode: unknown, message = 'Body is not valid JSON') =>
  Object.assign(new Error(message), { statusCode });

describe(HttpErrorFilter.name, () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('keeps an HttpException status and its object body as it is', () => {
    const body = { statusCode: 400, message: 'x is bad', field: 'x' };
    expect(answer(new BadRequestException(body))).toEqual({ status: 400, body, sends: 1 });
    expect(logged).not.toHaveBeenCalled();
  });

  it('wraps an HttpException string response in a body with its status', () => {
    expect(answer(new HttpException('teapot', 418))).toEqual({
      status: 418,
      body: { statusCode: 418, message: 'teapot' },
      sends: 1,
    });
  });

  it.each([
    ['FLAG_NOT_FOUND', FlagsError.notFound('f'), 404],
    ['DATABASE_UNAVAILABLE', FlagsError.databaseUnavailable('reading f'), 503],
    ['INVALID_DEFINITION', FlagsError.invalid('rules[0].variant', 'must name a variant'), 400],
    ['REVISION_CONFLICT', FlagsError.conflict('f', 3, { name: 'f', revision: 4 }), 409],
  ])('maps the domain error %s to %d', (code, error, status) => {
    expect(error.code).toBe(code);
    expect(answer(error)).toEqual({
      status,
      body: { statusCode: status, error: error.code, message: error.message, ...error.details },
      sends: 1,
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('names the field of an invalid definition and the current flag of a conflict', () => {
    expect(answer(FlagsError.invalid('type', 'type must be one of ...')).body).toEqual({
      statusCode: 400,
      error: FlagsErrorCode.InvalidDefinition,
      message: 'type must be one of ...',
      field: 'type',
    });
    expect(answer(FlagsError.conflict('f', 3, { revision: 4 })).body).toMatchObject({
      statusCode: 409,
      error: FlagsErrorCode.RevisionConflict,
      field: 'expected_revision',
      current: { revision: 4 },
    });
  });

  it.each([400, 413, 415, 499])("keeps Fastify's client error %d with its message", (status) => {
    expect(answer(clientError(status))).toEqual({
      status,
      body: { statusCode: status, message: 'Body is not valid JSON' },
      sends: 1,
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it.each([
    ['a 5xx statusCode', clientError(500, 'socket hang up')],
    ['a 3xx statusCode', clientError(399, 'moved')],
    ['a statusCode that is not a number', clientError('400', 'odd')],
    ['a plain Error', new Error('secret internals')],
  ])('answers %s as a plain 500 with no internals, and logs it with the request id', (_, error) => {
    expect(answer(error, '/flags/x', 'PUT')).toEqual({
      status: 500,
      body: { statusCode: 500, message: 'Internal server error' },
      sends: 1,
    });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith('request req-7 PUT /flags/x failed', error.stack);
  });

  it.each([
    ['null', null, 'null'],
    ['a string', 'boom', 'boom'],
  ])('answers %s thrown as a 500 and logs what was thrown', (_, error, text) => {
    expect(answer(error)).toEqual({
      status: 500,
      body: { statusCode: 500, message: 'Internal server error' },
      sends: 1,
    });
    expect(logged).toHaveBeenCalledWith('request req-7 GET /flags/f failed', text);
  });

  it("answers an OFREP request's errors in OFREP's shapes", () => {
    // 401 on OFREP carries no body (the protocol's); elsewhere it keeps Nest's.
    expect(answer(new UnauthorizedException(), '/ofrep/v1/evaluate/flags')).toEqual({
      status: 401,
      body: undefined,
      sends: 1,
    });
    expect(answer(new UnauthorizedException(), '/flags/f').body).toEqual({
      statusCode: 401,
      message: 'Unauthorized',
    });
    expect(answer(new BadRequestException('bad'), '/ofrep/v1/evaluate/flags/f')).toEqual({
      status: 400,
      body: {
        key: 'f',
        errorCode: 'PARSE_ERROR',
        errorDetails: 'the request body must be JSON: {"context": {...}}',
      },
      sends: 1,
    });
  });

  it('answers an OFREP error that OFREP has no shape for as any other request', () => {
    const error = FlagsError.databaseUnavailable('reading flags');
    expect(answer(error, '/ofrep/v1/evaluate/flags')).toEqual({
      status: 503,
      body: { statusCode: 503, error: error.code, message: error.message },
      sends: 1,
    });
  });
});
