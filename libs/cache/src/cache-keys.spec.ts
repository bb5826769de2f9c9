import { CacheKeys } from './cache-keys';

describe('CacheKeys', () => {
  it('puts the flag in a hash tag and the revision in every flag key', () => {
    expect(CacheKeys.data('dark_mode', 7)).toBe('ef:v2:{dark_mode}:7:data');
    expect(CacheKeys.check('dark_mode', 7, 'user123')).toBe('ef:v2:{dark_mode}:7:check:u:user123');
    expect(CacheKeys.endpoint('dark_mode', 7, 'user123')).toBe(
      'ef:v2:{dark_mode}:7:endpoint:u:user123',
    );
    expect(CacheKeys.list(42)).toBe('ef:v2:list:42');
    expect(CacheKeys.invalidationChannel(9)).toBe('ef:invalidate:9');
  });

  it('makes a new revision produce different keys for every layer', () => {
    for (const key of [CacheKeys.data, (f: string, r: number) => CacheKeys.check(f, r, 'u1')]) {
      expect(key('f', 1)).not.toBe(key('f', 2));
    }
  });

  it('keeps "no user" apart from any user id', () => {
    expect(CacheKeys.check('f', 1, undefined)).toBe(CacheKeys.check('f', 1, ''));
    expect(CacheKeys.check('f', 1, undefined)).not.toBe(CacheKeys.check('f', 1, 'anon'));
  });

  it('names anonymous answers, auth failures and the auth-block channel', () => {
    expect(CacheKeys.check('f', 3, undefined)).toBe('ef:v2:{f}:3:check:anon');
    expect(CacheKeys.endpoint('f', 3, '')).toBe('ef:v2:{f}:3:endpoint:anon');
    expect(CacheKeys.endpoint('f', 3, undefined)).toBe('ef:v2:{f}:3:endpoint:anon');
    expect(CacheKeys.authFailures('10.0.0.7')).toBe('ef:auth-failures:10.0.0.7');
    expect(CacheKeys.authBlockChannel(4)).toBe('ef:auth-block:4');
  });
});
