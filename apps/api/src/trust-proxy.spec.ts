import { fastifyTrustProxy } from './trust-proxy';

describe('fastifyTrustProxy', () => {
  it('keeps a hop count meaning "the nearest N addresses are proxies"', () => {
    const trust = fastifyTrustProxy(1);
    if (typeof trust !== 'function') throw new Error('a hop count must become a trust function');
    expect(trust('10.0.0.1', 0)).toBe(true);
    expect(trust('10.0.0.1', 1)).toBe(false);
    const two = fastifyTrustProxy(2) as (a: string, h: number) => boolean;
    expect([0, 1, 2].map((hop) => two('192.0.2.1', hop))).toEqual([true, true, false]);
  });

  it('passes flags and address lists through unchanged', () => {
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(true)).toBe(true);
    expect(fastifyTrustProxy(['127.0.0.1'])).toEqual(['127.0.0.1']);
  });
});
