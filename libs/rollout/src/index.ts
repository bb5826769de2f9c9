export { bucketOf, isEnabledFor, RolloutRule } from './rollout';
export { murmur3, murmur3Bytes, murmur3Pair } from './murmur3';
