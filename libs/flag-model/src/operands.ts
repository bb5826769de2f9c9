import { isIP } from 'node:net';
import { SemVer, parse as parseSemver } from 'semver';

/**
 * How the strings of a condition (its rule values and the context's attribute) are read as
 * numbers, instants, versions and addresses. One home, so the validator accepts exactly what the
 * evaluator understands.
 */

/** A finite number, or undefined. `Number` semantics (as Unleash), except that a blank string is not 0. */
export function parseFiniteNumber(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  // Number('') and Number('  ') are 0; only checked when the result is 0, so no allocation otherwise.
  if (n === 0 && text.trim() === '') return undefined;
  return n;
}

// ISO-8601 calendar date, optionally with a time that then must carry its offset: a time without
// one would be read in the server's time zone, and two replicas could disagree.
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A rule value of DATE_*: an ISO-8601 date, as ms since the epoch, or undefined. */
export function parseRuleDate(text: string): number | undefined {
  if (!ISO_8601.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls a day the month does not have over into the next (2025-02-30 is 2 March):
  // an admin who wrote it meant something else, so it is refused.
  const day = Number(text.slice(8, 10));
  return day > daysIn(Number(text.slice(0, 4)), Number(text.slice(5, 7))) ? undefined : ms;
}

/** Days of a month (1-12) of the proleptic Gregorian calendar, as ISO-8601 counts them. */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The context's date attribute, as ms since the epoch, or undefined. Read leniently with
 * `Date.parse`, as Unleash's SDKs read `currentTime` (and without a regular expression: this
 * runs per call).
 */
export function parseAttributeDate(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A semantic version (strict semver 2.0, as Unleash), or undefined. */
export function parseVersion(text: string): SemVer | undefined {
  return parseSemver(text) ?? undefined;
}

export interface Cidr {
  address: string;
  /** Prefix length; undefined for a single address. */
  prefix: number | undefined;
  family: 'ipv4' | 'ipv6';
}

/** An IPv4/IPv6 address or CIDR (`10.0.0.0/8`, `2001:db8::/32`), or undefined. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  // A zone id (fe80::1%eth0) names an interface of one host; it has no place in a rule.
  if (address.includes('%')) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) return { address, prefix: undefined, family };
  const prefixText = text.slice(slash + 1);
  const prefix = prefixText === '' ? NaN : Number(prefixText);
  const max = version === 4 ? 32 : 128;
  // Number() accepts '0x10' and '1e1'; a prefix is plain decimal digits.
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || String(prefix) !== prefixText) {
    return undefined;
  }
  return { address, prefix, family };
}

/** The family of an IP address attribute, or undefined when it is not one. */
export function addressFamily(text: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(text);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}
