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

  it.each([
    // [percentage, on for user123 of new_checkout_flow, whose bucket is 49]
    [1, false],
    [48, false],
    [49, true], // a bucket equal to the percentage is in
    [50, true],
    [99, true],
  ])('at %d%% is %s for a user in bucket 49', (p, expected) => {
    expect(isEnabledFor(on(p), 'new_checkout_flow', 'user123')).toBe(expected);
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
