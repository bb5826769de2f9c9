import { CreateFlags1732700000000 } from './1732700000000-create-flags';
import { SeedFlags1732700000001 } from './1732700000001-seed-flags';
import { FlagHistory1732800000000 } from './1732800000000-flag-history';
import { FlagDefinitions1733000000000 } from './1733000000000-flag-definitions';
import { HistoryRevision1734000000000 } from './1734000000000-history-revision';
import { FlagUpdatedBy1734100000000 } from './1734100000000-flag-updated-by';

/** Listed explicitly (not globbed) so the same list works from ts-jest, swc and the built dist/. */
export const MIGRATIONS = [
  CreateFlags1732700000000,
  SeedFlags1732700000001,
  FlagHistory1732800000000,
  FlagDefinitions1733000000000,
  HistoryRevision1734000000000,
  FlagUpdatedBy1734100000000,
];
export { SEED_FLAGS } from './1732700000001-seed-flags';
