export * from './flag-definition';
export * from './evaluation';
export {
  evaluate,
  attributesRead,
  contextFree,
  readsClock,
  rolloutOnly,
  type RolloutOnly,
} from './evaluate';
export { variantBucketOf } from './split';
export { findUnstorableString, type DefinitionError } from './storable';
export { parseDefinitionPatch, validateDefinition, LIMITS, type DefinitionPatch } from './validate';
