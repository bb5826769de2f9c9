import type { FlagDefinition } from '@app/flag-model';
import type { ChangeAction as LedgerAction, ChangeRecord } from '@app/cache';
import type { FlagState } from '../flag.entity';
import { FlagsError } from '../flags.errors';
import {
  ChangeAction,
  FlagChange,
  FlagsRepository,
  HistoryEntry,
  RecordedChange,
  RevisionChange,
} from '../flags.repository';
import { fromFlagState, toFlagState } from '../flag-state';

interface Row {
  flag: FlagDefinition;
  archived: boolean;
}

/**
 * The repository port in memory (Unleash's fakes): service specs run against it in milliseconds,
 * with the same contract as the TypeORM adapter: one revision sequence, history with every write,
 * and `down` to make every call fail as PostgreSQL unavailable.
 */
export class InMemoryFlagsRepository extends FlagsRepository {
  private readonly rows = new Map<string, Row>();
  private readonly changes = new Map<string, HistoryEntry[]>();
  /** Every change with its revision, invalidations included (the change stream's ledger). */
  readonly ledger: ChangeRecord[] = [];
  private changeCount = 0;
  private sequence = 0;
  down = false;
  reads = 0;
  /** The clock writes are stamped with (`updatedAt`); a spec may replace it. */
  now: () => Date = () => new Date();

  seed(name: string, state: Partial<FlagState> = {}): FlagDefinition {
    const flag = this.stamped(name, ++this.sequence, null, {
      enabled: true,
      rollout_percentage: 100,
      metadata: {},
      type: 'boolean',
      variants: [],
      default_variant: null,
      rules: [],
      ...state,
    });
    this.rows.set(name, { flag, archived: false });
    return flag;
  }

  findByName(name: string): Promise<FlagDefinition | null> {
    return this.call(() => {
      this.reads++;
      const row = this.rows.get(name);
      return row === undefined || row.archived ? null : row.flag;
    });
  }

  findAll() {
    return this.call(() => {
      this.reads++;
      const rows = [...this.rows.values()].sort((a, b) => a.flag.name.localeCompare(b.flag.name));
      return {
        flags: rows.filter((r) => !r.archived).map((r) => r.flag),
        archived: rows
          .filter((r) => r.archived)
          .map((r) => ({ name: r.flag.name, revision: r.flag.revision })),
      };
    });
  }

  findArchived(): Promise<FlagDefinition[]> {
    return this.call(() => {
      this.reads++;
      return [...this.rows.values()]
        .filter((r) => r.archived)
        .map((r) => r.flag)
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  revisionsSince(since: number): Promise<RevisionChange[]> {
    return this.call(() =>
      [...this.rows.values()]
        .filter((r) => r.flag.revision > since)
        .map((r) => ({ name: r.flag.name, revision: r.flag.revision, archived: r.archived })),
    );
  }

  upsert(name: string, change: FlagChange, actor: string) {
    return this.call(() => {
      const current = this.rows.get(name);
      const next = change(
        current === undefined ? null : { flag: current.flag, archived: current.archived },
      );
      const flag = this.stamped(name, ++this.sequence, actor, next);
      const action: ChangeAction =
        current === undefined ? 'create' : current.archived ? 'restore' : 'update';
      this.record(
        name,
        action,
        current === undefined || current.archived ? null : toFlagState(current.flag),
        next,
        actor,
      );
      this.rows.set(name, { flag, archived: false });
      return { flag, action, change: this.log(flag, current?.flag.revision ?? 0, action, actor) };
    });
  }

  archive(name: string, actor: string): Promise<RecordedChange | null> {
    return this.call(() => {
      const row = this.rows.get(name);
      if (row === undefined || row.archived) return null;
      const flag: FlagDefinition = {
        ...row.flag,
        revision: ++this.sequence,
        updatedAt: this.now().toISOString(),
        updatedBy: actor,
      };
      this.rows.set(name, { flag, archived: true });
      this.record(name, 'archive', toFlagState(row.flag), null, actor);
      return this.log(flag, row.flag.revision, 'archive', actor);
    });
  }

  bumpRevision(name: string, actor: string): Promise<RecordedChange | null> {
    return this.call(() => {
      const row = this.rows.get(name);
      if (row === undefined || row.archived) return null;
      const flag = { ...row.flag, revision: ++this.sequence };
      this.rows.set(name, { flag, archived: false });
      return this.log(flag, row.flag.revision, 'invalidate', actor);
    });
  }

  changesSince(after: number, limit: number, upTo?: number): Promise<ChangeRecord[]> {
    return this.call(() =>
      this.ledger
        .filter((c) => c.revision > after && (upTo === undefined || c.revision <= upTo))
        .slice(0, limit),
    );
  }

  private log(
    flag: FlagDefinition,
    previous: number,
    action: LedgerAction,
    actor: string,
  ): RecordedChange {
    const change = {
      flag: flag.name,
      revision: flag.revision,
      action,
      actor,
      at: new Date(0).toISOString(),
    };
    const follows = this.ledger.at(-1)?.revision ?? 0;
    this.ledger.push(change);
    return { ...change, previous, follows };
  }

  history(name: string, limit: number, before?: string): Promise<HistoryEntry[] | null> {
    return this.call(() => {
      const all = [...(this.changes.get(name) ?? [])].reverse();
      if (all.length === 0 && !this.rows.has(name)) return null;
      const start = before === undefined ? 0 : all.findIndex((c) => Number(c.id) < Number(before));
      return start < 0 ? [] : all.slice(start, start + limit);
    });
  }

  /** A definition as written now by `actor` (the TypeORM adapter's updated_at/updated_by). */
  private stamped(
    name: string,
    revision: number,
    actor: string | null,
    state: FlagState,
  ): FlagDefinition {
    return {
      ...fromFlagState(name, revision, state),
      updatedAt: this.now().toISOString(),
      updatedBy: actor,
    };
  }

  private record(
    flag: string,
    action: ChangeAction,
    before: FlagState | null,
    after: FlagState | null,
    actor: string,
  ) {
    const entries = this.changes.get(flag) ?? [];
    entries.push({
      id: String(++this.changeCount),
      action,
      actor,
      at: new Date(0).toISOString(),
      before,
      after,
    });
    this.changes.set(flag, entries);
  }

  private call<T>(work: () => T): Promise<T> {
    if (this.down)
      return Promise.reject(FlagsError.databaseUnavailable('in-memory repository is down'));
    // Thrown domain errors (a refused patch) reject, as they do from the TypeORM adapter.
    return new Promise((resolve) => resolve(work()));
  }
}
