// A Jest `filter` for mutation runs (stryker.config.mjs): a mutant runs the covering tests of the
// specs of its own library (libs/<name>/ or apps/<name>/), not of every spec that imports it.
//
// Why: jest loads a whole spec file before it can pick the covering tests out of it by name, and
// the specs that import a library from outside it (the DTO specs and the error filter's spec
// import the flag model, the rollout and Nest) cost seconds each to load. Without this, each of
// the flag model's mutants paid for those loads: a full run took many hours on 2 cores; with it,
// each library is held to its own unit specs, which is where its tests belong (STYLE: specs
// beside the code).
//
// Stryker names the active mutant in an environment variable and marks each mutant in the
// instrumented sandbox files with `stryMutAct_9fa48("<id>")`; the first call maps ids to files.
// Outside a mutant's run (the dry run, a plain `jest`), every test path is kept.
const fs = require('node:fs');
const path = require('node:path');

const MARKER = /stryMutAct_9fa48\("(\d+)"\)/g;
const ROOTS = ['libs', 'apps'];
/** Mutant id → the package directory of its file (`<sandbox>/libs/flag-model/`). */
let packageOfMutant;

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* sourceFiles(full);
    else if (entry.isFile() && entry.name.endsWith('.ts')) yield full;
  }
}

function mapMutants() {
  const map = new Map();
  for (const root of ROOTS) {
    const rootDir = path.join(process.cwd(), root);
    if (!fs.existsSync(rootDir)) continue;
    for (const file of sourceFiles(rootDir)) {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes('stryMutAct_9fa48(')) continue;
      const [name] = path.relative(rootDir, file).split(path.sep);
      const packageDir = path.join(rootDir, name) + path.sep;
      for (const match of text.matchAll(MARKER)) map.set(match[1], packageDir);
    }
  }
  return map;
}

module.exports = (testPaths) => {
  const id = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (id === undefined) return { filtered: testPaths };
  packageOfMutant ??= mapMutants();
  const packageDir = packageOfMutant.get(id);
  // A mutant this map does not know (it should not happen) keeps every related spec.
  if (packageDir === undefined) return { filtered: testPaths };
  return { filtered: testPaths.filter((p) => p.startsWith(packageDir)) };
};
