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

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'EHOSTDOWN',
    'ENETUNREACH',
    'ENETDOWN',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EADDRNOTAVAIL',
  ])('reads the socket error %s as unavailable', (code) => {
    expect(
      isDatabaseUnavailable(socketError(code, `${code.toLowerCase()} while talking to db`)),
    ).toBe(true);
  });

  it.each([
    ['08001', true], // connection exception: cannot connect
    ['53100', true], // insufficient resources: disk full
    ['57P04', true], // operator intervention: database dropped
    ['58030', true], // system error: I/O error
    ['0800A', true],
    ['23503', false], // a foreign key violation: the database answered
    ['40001', false], // a serialization failure: answered too
    ['XX000', false], // internal error: a bug, not an outage
    ['18001', false], // 08 only at the start of the code
    ['5800', false], // not a SQLSTATE: four characters, and no transport message either
    ['580001', false],
  ])('decides a server answer by its SQLSTATE class: %s is unavailable: %s', (code, expected) => {
    expect(isDatabaseUnavailable(query(serverError(code, 'server said no')))).toBe(expected);
  });

  it('lets a SQLSTATE decide over a transport message, but not a code that is no SQLSTATE', () => {
    expect(isDatabaseUnavailable(serverError('23505', 'Connection terminated'))).toBe(false);
    expect(
      isDatabaseUnavailable(Object.assign(new Error('Connection terminated'), { code: 'x' })),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error('Connection terminated'), { code: 7 })),
    ).toBe(true);
  });

  it.each([
    'Cannot use a pool after calling end on the pool',
    'PGlite is closing',
    'Query runner already released. Cannot run queries anymore.',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Driver not Connected',
  ])('reads the transport message %j as unavailable, wherever it sits in the text', (message) => {
    expect(isDatabaseUnavailable(new Error(`wrapped: ${message}!`))).toBe(true);
  });

  it('looks through up to three wrappers (cause or errors), and no further', () => {
    const wrap = (inner: unknown, depth: number): unknown =>
      depth === 0 ? inner : new Error('wrapper', { cause: wrap(inner, depth - 1) });
    const refused = socketError('ECONNREFUSED', 'connect ECONNREFUSED');
    expect(isDatabaseUnavailable(wrap(refused, 3))).toBe(true);
    expect(isDatabaseUnavailable(wrap(refused, 4))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([new Error('no'), wrap(refused, 2)]))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new AggregateError([new Error('no'), new Error('nor')]))).toBe(
      false,
    );
    expect(isDatabaseUnavailable({ errors: 'ECONNREFUSED', message: 7 })).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable(new Error('plain', { cause: undefined }))).toBe(false);
  });
});
