// @ts-check
// Mutation testing of the pure core: `npm run test:mutation`. See README, "Tests".
import jestConfig from './jest.config.js';

/**
 * What is mutated: the pure libraries, whose unit specs sit beside them. Add a library's files
 * here (and its specs beside it) to bring it under the score; libs/flag-model belongs here.
 */
const MUTATE = [
  'libs/rollout/src/rollout.ts',
  'libs/rollout/src/murmur3.ts',
  'libs/cache/src/cache-keys.ts',
  'libs/cache/src/edge-cache.ts',
  'libs/config/src/app-config.ts',
  'libs/config/src/tokens.ts',
  'libs/flags/src/validation.ts',
  'libs/flags/src/dto/*.dto.ts',
  'libs/database/src/database-errors.ts',
];

const unit = jestConfig.projects.find((p) => p.displayName === 'unit');
/** The unit specs of the mutated libraries (the others cannot kill a mutant here). */
const LIBS = ['rollout', 'cache', 'config', 'flags', 'database'];
const SPECS = `/libs/(${LIBS.join('|')})/src/.*\\.spec\\.ts$`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // Only the unit project: the e2e suite boots servers and is far too slow to run per mutant.
  jest: {
    projectType: 'custom',
    config: { ...unit, testRegex: SPECS },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: MUTATE,
  plugins: ['@stryker-mutator/*', './stryker/openapi-ignorer.mjs'],
  ignorers: ['openapi-docs'],
  // Committed (see README): a run re-tests only mutants whose code or covering tests changed,
  // so CI, which starts from a fresh checkout, stays fast.
  incremental: true,
  incrementalFile: 'stryker/incremental.json',
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
