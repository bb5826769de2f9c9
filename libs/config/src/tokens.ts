import { createHash } from 'node:crypto';

/** A configured credential: only the SHA-256 digest of its secret is kept in memory. */
export interface TokenCredential {
  readonly name: string;
  readonly digest: Buffer;
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const MIN_SECRET_LENGTH = 16;
const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const SECRET = /^[A-Za-z0-9\-._~+/]+=*$/; // RFC 6750 b64token: what a Bearer token may contain

/**
 * Parses `name:secret,name:sha256:<64 hex>` (a hashed secret keeps the plain one out of the
 * environment). Returns the credentials, or a reason naming the bad entry (never its secret).
 */
export function parseTokens(
  variable: string,
  value: string | undefined,
): TokenCredential[] | string {
  if (value === undefined || value.trim() === '') return [];
  const credentials: TokenCredential[] = [];
  for (const [index, raw] of value.split(',').entries()) {
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon) : '';
    const secret = colon > 0 ? entry.slice(colon + 1) : '';
    const where = `${variable} entry ${index + 1}`;
    if (!NAME.test(name))
      return `${where} must look like name:secret (name: letters, digits, _ . @ -)`;
    if (credentials.some((c) => c.name === name)) return `${where} repeats the name '${name}'`;
    const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(secret);
    if (hashed) {
      credentials.push({ name, digest: Buffer.from(hashed[1], 'hex') });
      continue;
    }
    if (secret.length < MIN_SECRET_LENGTH || !SECRET.test(secret)) {
      return `${where} ('${name}') needs a secret of at least ${MIN_SECRET_LENGTH} token characters (A-Z a-z 0-9 - . _ ~ + /)`;
    }
    credentials.push({ name, digest: sha256(secret) });
  }
  return credentials;
}
