// @ts-check
// Mutation testing of the pure core: `npm run test:mutation`. See docs/testing.md.
import jestConfig from './jest.config.js';

/**
 * What is mutated: the pure libraries, whose unit specs sit beside them. Add a library's files
 * here (its specs beside it) to bring it under the score.
 */
const MUTATE = [
  // rollout and the evaluator
  'libs/rollout/src/rollout.ts',
  'libs/rollout/src/murmur3.ts',
  // the flag model: definition, validation, operands, conditions, compilation, evaluate
  'libs/flag-model/src/*.ts',
  '!libs/flag-model/src/*.spec.ts',
  '!libs/flag-model/src/index.ts',
  '!libs/flag-model/src/testing.ts', // spec builders
  // cache keys, the edge cache and its revision ledger
  'libs/cache/src/cache-keys.ts',
  'libs/cache/src/edge-cache.ts',
  // config parsing
  'libs/config/src/app-config.ts',
  'libs/config/src/tokens.ts',
  // validation of requests
  'libs/flags/src/validation.ts',
  'libs/flags/src/json-values.ts',
  'libs/flags/src/dto/*.dto.ts',
  '!libs/flags/src/dto/responses.dto.ts', // response shapes for OpenAPI: decorators only
  // the error mapping: domain errors, the database-error classification, the HTTP filter
  'libs/flags/src/flags.errors.ts',
  'libs/database/src/database-errors.ts',
  'apps/api/src/http-exception.filter.ts',
];

const unit = jestConfig.projects.find((p) => p.displayName === 'unit');
/**
 * The unit specs of the mutated files: those beside them, and the error filter's. Left to
 * `npm test`: `*.statistics.spec.ts` (properties over 100,000 users, tens of seconds each; the
 * exact vectors beside them pin the same code) and the services' specs (flag-admin, flag-reader,
 * database-guard), which test the services over the core rather than the core.
 */
const SPECS = [
  '/libs/(rollout|flag-model|cache|config|flags|database)/src/.*(?<!\\.statistics)\\.spec\\.ts$',
  '/apps/api/src/http-exception\\.filter\\.spec\\.ts$',
];
const NOT_SPECS = [
  '/libs/flags/src/flag-(admin|reader)\\.spec\\.ts$',
  '/libs/database/src/database-guard\\.spec\\.ts$',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // Only the unit project: the e2e suite boots servers and is far too slow to run per mutant.
  // Stryker merges this over jest.config.js as its sandbox copy reads it: `projects` is dropped
  // (or the e2e project would run too), and so is `rootDir`, which this file's import resolved to
  // the original checkout: jest then takes the sandbox it runs in, where the mutated code is.
  // enableFindRelatedTests: a mutant's run loads only the spec files that import its file, not
  // every spec (jest loads a file before it can filter its tests by name); and a static mutant
  // (module-level code, which no single test covers) runs those files rather than all of them.
  jest: {
    projectType: 'custom',
    config: {
      ...unit,
      rootDir: undefined,
      projects: undefined,
      testRegex: SPECS,
      testPathIgnorePatterns: ['/node_modules/', ...NOT_SPECS],
      // Each mutant runs the specs of its own library only: see the file for why.
      filter: '<rootDir>/stryker/own-library-specs.cjs',
    },
    enableFindRelatedTests: true,
  },
  // Each mutant runs only the tests that cover it (recorded per test in the first, dry run).
  coverageAnalysis: 'perTest',
  // No TypeScript checker: even given a tsconfig of the mutated files and their specs alone, it
  // took twice the CPU of the test runs on the shared 2-core machine, and held one of the two
  // slots while it did. A mutant that would not compile runs anyway (swc strips types) and is killed
  // or survives like any other; `tsc` on the real code is `npm run lint`'s.
  checkers: [],
  mutate: MUTATE,
  plugins: ['@stryker-mutator/*', './stryker/openapi-ignorer.mjs', './stryker/portable-report.mjs'],
  ignorers: ['openapi-docs'],
  // What the sandbox need not copy: nothing here is read by the unit specs (docs/ is: a spec
  // checks the configuration table).
  ignorePatterns: ['/apps/console', '/bench', '/k6', '/test', '/deploy', '/dist', '/.data'],
  // Committed (see docs/testing.md): a run re-tests only mutants whose code or covering tests
  // changed, so CI, which starts from a fresh checkout, stays fast.
  incremental: true,
  incrementalFile: 'stryker/incremental.json',
  thresholds: { high: 90, low: 80, break: 80 },
  // `portable` first: it edits the report before the others and the incremental file see it.
  reporters: ['portable', 'clear-text', 'progress', 'html', 'json'],
  // The score table only: the survivors, each with the tests that ran it, made about 2,300 lines
  // of CI's log; they are in the HTML report (reports/mutation/index.html).
  clearTextReporter: { reportMutants: false, reportTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
