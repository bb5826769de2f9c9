import { murmur3Pair } from '@app/rollout';
import { TOTAL_WEIGHT, type Variant } from './flag-definition';

/** Unleash's seed for variant assignment, distinct from the rollout's 0 so the two are independent. */
const VARIANT_SEED = 86028157;

/**
 * The user's position in a flag's weighted split, 1..1000: Unleash's `normalizedValue` of
 * "{flag}:{user}" with the variant seed and the total weight as normalizer, so a user keeps the
 * variant Unleash would have served.
 */
export function variantBucketOf(flagName: string, userId: string): number {
  return (murmur3Pair(flagName, userId, VARIANT_SEED) % TOTAL_WEIGHT) + 1;
}

/** Running totals of the weights when they split users (sum to 1000), else undefined. */
export function cumulativeWeights(variants: readonly Variant[]): readonly number[] | undefined {
  let total = 0;
  const cumulative = variants.map((v) => (total += v.weight));
  return variants.length > 0 && total === TOTAL_WEIGHT ? cumulative : undefined;
}

/** Index of the variant whose running total first reaches the user's position (Unleash's walk). */
export function splitIndex(
  cumulative: readonly number[],
  flagName: string,
  userId: string,
): number {
  const target = variantBucketOf(flagName, userId);
  for (let i = 0; i < cumulative.length; i++) if (cumulative[i] >= target) return i;
  return cumulative.length - 1; // unreachable: the last running total is 1000
}
