// A Stryker reporter that makes the report portable before Stryker writes it to
// stryker/incremental.json (which is committed, and read by CI in a fresh clone elsewhere): the
// report names its project by the absolute directory it ran in (`projectRoot`), which would leak
// this machine's paths into the repository and differ on every clone. Stryker reads only the
// files, mutants and tests back (all keyed by paths relative to the project), so `.` loses
// nothing. Stryker hands every reporter the report object it then writes, so setting it here is
// enough.
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

class PortableReport {
  onMutationTestReportReady(report) {
    report.projectRoot = '.';
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'portable', PortableReport)];
