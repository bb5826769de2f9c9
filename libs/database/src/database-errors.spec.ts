import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors';

const queryFailed = (driverError: unknown) =>
  new QueryFailedError('SELECT 1', [], driverError as Error);
const withCode = (code: unknown, message = 'failed') =>
  Object.assign(new Error(message), { code }) as Error;

describe(isDatabaseUnavailable.name, () => {
  it.each(['08006', '08001', '53300', '57014', '57P01', '58030'])(
    'calls a query failure with SQLSTATE %s unavailable',
    (code) => expect(isDatabaseUnavailable(queryFailed({ code }))).toBe(true),
  );

  it.each(['23505', '42P01', '22008', '40001', 'X0800'])(
    'calls a query failure with SQLSTATE %s a query error, not an outage',
    (code) => expect(isDatabaseUnavailable(queryFailed({ code }))).toBe(false),
  );

  it('calls a query failure without a string code a query error', () => {
    expect(isDatabaseUnavailable(queryFailed({}))).toBe(false);
    expect(isDatabaseUnavailable(queryFailed({ code: 8006 }))).toBe(false);
    // Its message is not looked at: a query error that mentions a timeout is still a query error.
    expect(isDatabaseUnavailable(new QueryFailedError('timeout', [], new Error('timeout')))).toBe(
      false,
    );
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '08006', '57P03'])(
    'calls a driver error with code %s unavailable',
    (code) => expect(isDatabaseUnavailable(withCode(code))).toBe(true),
  );

  it.each([
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Connection terminated unexpectedly',
    'terminating connection due to administrator command',
    'could not connect to server',
    'CONNECTION REFUSED',
  ])('calls an error saying "%s" unavailable', (message) =>
    expect(isDatabaseUnavailable(new Error(message))).toBe(true),
  );

  it('calls other errors what they are', () => {
    expect(isDatabaseUnavailable(new Error('duplicate key value'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('23505', 'duplicate key value'))).toBe(false);
    expect(isDatabaseUnavailable(withCode(42, 'syntax error'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('XE1', 'syntax error'))).toBe(false);
    expect(isDatabaseUnavailable('connection refused')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED', message: 'connect' })).toBe(false);
  });
});
