import { QueryFailedError } from 'typeorm';

/**
 * Raised by this service itself when it does not wait on PostgreSQL: the circuit breaker is
 * open, or a call outlived its deadline.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

// SQLSTATE classes that mean "the database cannot serve us now", not "the query is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (57014 statement
// timeout, 57P01 terminated by an administrator, 57P03 starting up), 58 system error.
const UNAVAILABLE_SQLSTATE = /^(08|53|57|58)[0-9A-Z]{3}$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;

// Socket errors Node raises while connecting to or talking with the server.
const NETWORK_CODES = new Set([
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
]);

// Errors the drivers raise with a message and no code (captured from the real drivers by
// test/database-errors.e2e-spec.ts; each one has a reconstruction in database-errors.spec.ts).
const TRANSPORT_MESSAGES = [
  'Query read timeout', // pg: the client-side query_timeout ran out (a hung server)
  'Connection terminated', // pg: "... unexpectedly" (socket closed), "... due to connection timeout"
  'timeout exceeded when trying to connect', // pg-pool: no connection free within connectionTimeoutMillis
  'is not queryable', // pg: a client whose connection failed or was closed
  'Cannot use a pool after calling end on the pool', // pg-pool during shutdown
  'PGlite is closed', // PGlite during shutdown
  'PGlite is closing',
  'Driver not Connected', // TypeORM after the data source was destroyed (shutdown)
  'Query runner already released', // TypeORM: the connection under a transaction was lost and released
];

/**
 * True when an error means PostgreSQL cannot serve us now (refused, reset, hung, timed out,
 * overloaded, shutting down), as opposed to an error in what we asked (a constraint, a bad
 * value), which must surface as itself. This is the one classification the data paths, the
 * circuit breaker and the HTTP status (503) rely on.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}

function unavailable(error: unknown, depth: number): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  // Duck-typed rather than `instanceof Error`: Node's socket errors may come from another realm
  // (a vm context, as under Jest), and a classification must not depend on where it runs.
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  // TypeORM wraps what the driver raised while running a query; the driver's error decides.
  if (error instanceof QueryFailedError) return unavailable(error.driverError, depth + 1);
  const { code, message, errors, cause } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // A server's answer: its SQLSTATE alone decides (a unique violation is not an outage).
    if (SQLSTATE.test(code)) return UNAVAILABLE_SQLSTATE.test(code);
  }
  if (typeof message === 'string' && TRANSPORT_MESSAGES.some((m) => message.includes(m)))
    return true;
  // Node reports a failed connection to every address of a host as one AggregateError.
  if (Array.isArray(errors) && errors.some((e) => unavailable(e, depth + 1))) return true;
  return cause !== undefined && unavailable(cause, depth + 1);
}
