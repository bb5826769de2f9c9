import { timingSafeEqual } from 'node:crypto';
import { sha256, TokenCredential } from '@app/config';

export type Authentication = { ok: true; name: string } | { ok: false; reason: string };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Checks an Authorization header against configured credentials. The presented token is hashed
 * and compared with every credential's digest in constant time, without stopping at a match, so
 * neither the secret nor which credential matched shows in the timing. Reasons never echo the token.
 */
export function authenticate(
  header: string | undefined,
  credentials: readonly TokenCredential[],
): Authentication {
  if (header === undefined || header === '')
    return { ok: false, reason: 'missing Authorization header (expected: Bearer <token>)' };
  const match = BEARER.exec(header);
  if (match === null)
    return { ok: false, reason: 'malformed Authorization header (expected: Bearer <token>)' };
  const digest = sha256(match[1]);
  let name: string | undefined;
  for (const credential of credentials) {
    if (timingSafeEqual(digest, credential.digest) && name === undefined) name = credential.name;
  }
  return name === undefined ? { ok: false, reason: 'invalid token' } : { ok: true, name };
}
