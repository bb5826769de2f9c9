import { createHash } from 'node:crypto';
import { parseTokens, sha256, TokenCredential } from './tokens';

const SECRET = 'abcdefghijklmnop'; // 16 characters, the shortest accepted
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const ok = (value: string) => parseTokens('T', value) as TokenCredential[];

describe(parseTokens.name, () => {
  it('reads nothing from an unset or blank variable', () => {
    expect(parseTokens('T', undefined)).toEqual([]);
    expect(parseTokens('T', '')).toEqual([]);
    expect(parseTokens('T', '   ')).toEqual([]);
  });

  it('keeps the name and the SHA-256 digest of each secret, entries trimmed', () => {
    expect(ok(` ops:${SECRET} , ci.bot@x-1:${SECRET}x`)).toEqual([
      { name: 'ops', digest: digest(SECRET) },
      { name: 'ci.bot@x-1', digest: digest(`${SECRET}x`) },
    ]);
    expect(sha256('é')).toEqual(digest('é'));
  });

  it('accepts a secret given as its digest, in either case', () => {
    const hex = 'AB'.repeat(32);
    expect(ok(`ci:sha256:${hex}`)).toEqual([{ name: 'ci', digest: Buffer.from(hex, 'hex') }]);
    expect(ok(`ci:sha256:${hex.toLowerCase()}`)[0].digest).toEqual(Buffer.from(hex, 'hex'));
  });

  it('accepts every RFC 6750 token character and trailing padding', () => {
    const secret = 'Az09-._~+/Az09-._~+/==';
    expect(ok(`web:${secret}`)).toEqual([{ name: 'web', digest: digest(secret) }]);
  });

  it.each([
    ['nocolon', 'T entry 1 must look like name:secret'],
    [`:${SECRET}`, 'T entry 1 must look like name:secret'],
    [`bad name:${SECRET}`, 'T entry 1 must look like name:secret'],
    [`${'n'.repeat(65)}:${SECRET}`, 'T entry 1 must look like name:secret'],
    [`ops:${SECRET},ops:${SECRET}x`, "T entry 2 repeats the name 'ops'"],
    [`ops:${SECRET.slice(1)}`, "T entry 1 ('ops') needs a secret of at least 16 token characters"],
    [`ops:${SECRET} with space`, "T entry 1 ('ops') needs a secret of at least 16"],
    [`ops:=${SECRET}`, "T entry 1 ('ops') needs a secret of at least 16"],
    [`ops:${SECRET}=x`, "T entry 1 ('ops') needs a secret of at least 16"],
    [`ci:sha256:${'ab'.repeat(31)}`, "T entry 1 ('ci') needs a secret"],
    [`ci:sha256:${'ab'.repeat(32)}0`, "T entry 1 ('ci') needs a secret"],
  ])('refuses %s, saying which entry without its secret', (value, reason) => {
    const result = parseTokens('T', value);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
    expect(result).not.toContain(SECRET.slice(2));
  });

  it('accepts a 64-character name and a secret of exactly 16', () => {
    expect(ok(`${'n'.repeat(64)}:${SECRET}`)).toHaveLength(1);
  });

  it('says exactly what an entry needs', () => {
    expect(parseTokens('ADMIN_TOKENS', `ops:${SECRET},bad`)).toBe(
      'ADMIN_TOKENS entry 2 must look like name:secret (name: letters, digits, _ . @ -)',
    );
    expect(parseTokens('CLIENT_TOKENS', 'web:short')).toBe(
      "CLIENT_TOKENS entry 1 ('web') needs a secret of at least 16 token characters (A-Z a-z 0-9 - . _ ~ + /)",
    );
  });
});
