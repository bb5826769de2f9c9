export * from './flag-definition';
export * from './evaluation';
export { evaluate, attributesRead } from './evaluate';
export { variantBucketOf } from './split';
