// A Stryker reporter that makes the report portable before Stryker writes it to
// stryker/incremental.json, which is committed and read back by CI in a fresh clone elsewhere.
// Stryker hands every reporter the report object it then writes, so editing it here is enough.
// - `projectRoot` is the absolute directory of the run: `.` loses nothing, since Stryker reads
//   back only the files, mutants and tests, all keyed by paths relative to the project.
// - A killed mutant's `statusReason` is the failing assertion with its stack, full of absolute
//   paths into this machine's sandbox: only its first line (the assertion) is kept, which also
//   keeps the committed file small and its diffs readable.
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** Edits a mutation-testing report in place so that it names no absolute path. */
export function makePortable(report, root = process.cwd()) {
  report.projectRoot = '.';
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      if (typeof mutant.statusReason !== 'string') continue;
      mutant.statusReason = mutant.statusReason
        .split('\n')[0]
        .replaceAll(`${root}/`, '')
        .replace(/\.stryker-tmp\/sandbox-[^/]+\//g, '');
    }
  }
  return report;
}

class PortableReport {
  onMutationTestReportReady(report) {
    makePortable(report);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'portable', PortableReport)];
