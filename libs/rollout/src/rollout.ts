import { hashPrefix, murmur3Resumed, type HashPrefix } from './murmur3';

/** What the rollout rule needs to know about a flag. */
export interface RolloutRule {
  readonly enabled: boolean;
  readonly rolloutPercentage: number;
}

/**
 * The user's bucket for a flag, 1..100: Unleash's `normalizedValue` with the flag name as group
 * id and seed 0, so a team moving from Unleash keeps every user's assignment. Salting by flag
 * name makes two flags at 50% independent.
 */
export function bucketOf(flagName: string, userId: string): number {
  return bucketIn(bucketPrefix(flagName), userId);
}

/** What `bucketIn` resumes from for one flag: hold it to bucket many users with no lookup. */
export function bucketPrefix(flagName: string): HashPrefix {
  return hashPrefix(flagName, 0);
}

/** `bucketOf` the flag whose `bucketPrefix` this is. */
export function bucketIn(prefix: HashPrefix, userId: string): number {
  return (murmur3Resumed(prefix, userId) % 100) + 1;
}

/**
 * The one rollout rule. Monotonic: a user whose bucket is <= p is also <= any p' > p, so raising
 * the percentage never takes the flag from a user who had it. Without a user id there is no
 * bucket, so the flag is on only when it is on for everybody (enabled at 100%).
 */
export function isEnabledFor(
  flag: RolloutRule,
  flagName: string,
  userId: string | undefined,
): boolean {
  if (!flag.enabled || flag.rolloutPercentage <= 0) return false;
  if (flag.rolloutPercentage >= 100) return true;
  if (userId === undefined || userId === '') return false;
  return bucketOf(flagName, userId) <= flag.rolloutPercentage;
}
