import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, TypeORMError } from 'typeorm';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-errors';

// Faithful reconstructions of what the drivers raise, shape for shape (class, code, message):
// test/database-errors.e2e-spec.ts produces each of them for real against PostgreSQL through a
// proxy and asserts the same shapes, so a driver upgrade that changes one fails there first.

/** pg's answer from the server: a DatabaseError with a SQLSTATE. */
const serverError = (code: string, message: string) => {
  const e = new DatabaseError(message, 100, 'error');
  e.code = code;
  e.severity = 'ERROR';
  return e;
};
/** What the repository sees when a query fails: TypeORM's wrapper around the driver's error. */
const query = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
/** Node's socket errors (errno, code, syscall). */
const socketError = (code: string, message: string) =>
  Object.assign(new Error(message), { errno: -104, code, syscall: 'read' });

describe(isDatabaseUnavailable.name, () => {
  const unavailable: Array<[string, unknown]> = [
    [
      'refused at connect',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        errno: -111,
        code: 'ECONNREFUSED',
        syscall: 'connect',
        address: '127.0.0.1',
        port: 5432,
      }),
    ],
    [
      'refused on every address of a host',
      Object.assign(
        new AggregateError(
          [
            socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'),
            socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
          ],
          '',
        ),
        { code: 'ECONNREFUSED' },
      ),
    ],
    ['reset during a query', query(socketError('ECONNRESET', 'read ECONNRESET'))],
    ['socket closed during a query', query(new Error('Connection terminated unexpectedly'))],
    [
      'connect timeout (blackholed server)',
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
    ],
    ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['client read timeout (hung server), no SQLSTATE', query(new Error('Query read timeout'))],
    [
      'statement timeout',
      query(serverError('57014', 'canceling statement due to statement timeout')),
    ],
    [
      'terminated by an administrator',
      query(serverError('57P01', 'terminating connection due to administrator command')),
    ],
    ['server starting up', query(serverError('57P03', 'the database system is starting up'))],
    ['too many connections', query(serverError('53300', 'sorry, too many clients already'))],
    ['connection failure', query(serverError('08006', 'connection failure'))],
    [
      'a client that lost its connection',
      query(new Error('Client has encountered a connection error and is not queryable')),
    ],
    ['PGlite closed', query(new Error('PGlite is closed'))],
    ['TypeORM after shutdown', new TypeORMError('Driver not Connected')],
    ['TypeORM after the connection under a runner was lost', new QueryRunnerAlreadyReleasedError()],
    ['breaker open or deadline', new DatabaseUnavailableError('circuit open')],
  ];
  it.each(unavailable)('%s: unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  const notUnavailable: Array<[string, unknown]> = [
    [
      'unique violation',
      query(serverError('23505', 'duplicate key value violates unique constraint "flags_pkey"')),
    ],
    ['bad input', query(serverError('22P02', 'invalid input syntax for type bigint: "x"'))],
    ['NUL in text', query(serverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))],
    ['syntax error', query(serverError('42601', 'syntax error at or near "SELEC"'))],
    [
      'deadlock (retryable, but the database answered)',
      query(serverError('40P01', 'deadlock detected')),
    ],
    ['a bug in our code', new TypeError("Cannot read properties of undefined (reading 'name')")],
    ['an error that merely mentions connections', new Error('invalid connection option "x"')],
    ['not an error', 'Connection terminated'],
    ['undefined', undefined],
  ];
  it.each(notUnavailable)('%s: not unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
