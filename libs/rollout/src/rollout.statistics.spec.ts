import { isEnabledFor } from './rollout';

// The rollout's statistical promises over 100,000 users. Their own file because they take tens
// of seconds: the mutation run (stryker.config.mjs) leaves them out, and relies on the exact
// buckets and boundaries pinned in rollout.spec.ts instead.
const USERS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
const on = (rolloutPercentage: number) => ({ enabled: true, rolloutPercentage });

describe(`${isEnabledFor.name} over 100,000 users`, () => {
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
});
