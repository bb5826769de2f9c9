import { bucketOf, isEnabledFor } from './rollout';

const USERS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
const on = (rolloutPercentage: number) => ({ enabled: true, rolloutPercentage });

describe(isEnabledFor.name, () => {
  it('publishes buckets for fixed users (Unleash normalizedValue)', () => {
    expect(bucketOf('new_checkout_flow', 'user123')).toBe(49);
    expect(bucketOf('beta_features', 'user-42')).toBe(91);
    expect(bucketOf('experimental_api', 'alice@example.com')).toBe(26);
    expect(isEnabledFor(on(50), 'new_checkout_flow', 'user123')).toBe(true);
    expect(isEnabledFor(on(48), 'new_checkout_flow', 'user123')).toBe(false);
  });

  it('is deterministic', () => {
    const first = USERS.map((u) => isEnabledFor(on(37), 'f', u));
    const second = USERS.map((u) => isEnabledFor(on(37), 'f', u));
    expect(second).toEqual(first);
  });

  it.each([1, 5, 10, 25, 50, 75, 90, 99])('enables %d%% of 100,000 users within 1 point', (p) => {
    const count = USERS.filter((u) => isEnabledFor(on(p), 'new_checkout_flow', u)).length;
    expect(Math.abs((count / USERS.length) * 100 - p)).toBeLessThanOrEqual(1);
  });

  it('keeps two 50% flags independent (salted by flag name)', () => {
    const both = USERS.filter(
      (u) => isEnabledFor(on(50), 'flag_a', u) && isEnabledFor(on(50), 'flag_b', u),
    ).length;
    expect(Math.abs((both / USERS.length) * 100 - 25)).toBeLessThanOrEqual(1);
  });

  it('is monotonic: raising the percentage never takes the flag away', () => {
    let previous = new Set<string>();
    for (let p = 0; p <= 100; p += 5) {
      const now = new Set(USERS.filter((u) => isEnabledFor(on(p), 'experimental_api', u)));
      const lost = [...previous].filter((u) => !now.has(u));
      expect(lost).toEqual([]);
      previous = now;
    }
    expect(previous.size).toBe(USERS.length);
  });

  it('gives 0% to nobody, 100% to everybody, and a disabled flag to nobody', () => {
    const sample = USERS.slice(0, 5000);
    expect(sample.some((u) => isEnabledFor(on(0), 'f', u))).toBe(false);
    expect(sample.every((u) => isEnabledFor(on(100), 'f', u))).toBe(true);
    expect(
      sample.some((u) => isEnabledFor({ enabled: false, rolloutPercentage: 100 }, 'f', u)),
    ).toBe(false);
  });

  it('without a user id, is on only when enabled at 100%', () => {
    expect(isEnabledFor(on(100), 'f', undefined)).toBe(true);
    expect(isEnabledFor(on(99), 'f', undefined)).toBe(false);
    expect(isEnabledFor(on(99), 'f', '')).toBe(false);
    expect(isEnabledFor({ enabled: false, rolloutPercentage: 100 }, 'f', undefined)).toBe(false);
  });
});
