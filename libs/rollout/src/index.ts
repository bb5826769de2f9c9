export { bucketIn, bucketOf, bucketPrefix, isEnabledFor, RolloutRule } from './rollout';
export { murmur3, murmur3Bytes, murmur3Pair, type HashPrefix } from './murmur3';
