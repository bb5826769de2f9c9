import { QueryFailedError } from 'typeorm';

// SQLSTATE classes that mean "the database cannot serve us now", not "the query is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (incl. 57014
// statement timeout, 57P01 admin shutdown), 58 system error.
const UNAVAILABLE_SQLSTATE = /^(08|53|57|58)/;

/** True when an error means PostgreSQL is unreachable, overloaded or shutting down. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof QueryFailedError) {
    const code = (error.driverError as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code);
  }
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || code.startsWith('E')))
    return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT...
  return /timeout|terminat|connect|Connection/i.test(error.message);
}
