import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CacheKeys, CacheOutcome, CacheStats, EdgeCache, L2Cache } from '@app/cache';
import type { FlagDefinition } from '@app/flag-model';
import { FlagsError, FlagsErrorCode } from './flags.errors';
import { FlagsRepository } from './flags.repository';

export interface Loaded {
  flag: FlagDefinition;
  cache: CacheOutcome;
}
export interface LoadedAll {
  flags: readonly FlagDefinition[];
  cache: CacheOutcome;
}

const isDatabaseDown = (e: unknown) =>
  e instanceof FlagsError && e.code === FlagsErrorCode.DatabaseUnavailable;

/**
 * The read side: flag definitions, cache-aside over three tiers: the edge cache (L1, this
 * process), the service cache (L2, Redis, 300 s) and PostgreSQL. It hands out definitions and
 * never evaluates them (the presenters do, through the flag model).
 * Concurrent misses of one flag share one load (single-flight). When PostgreSQL is down, the last
 * data this instance loaded is served as `stale`.
 */
@Injectable()
export class FlagReader {
  private readonly inflight = new Map<string, Promise<Loaded>>();
  private allMemo: { revision: number; flags: FlagDefinition[]; freshUntil: number } | undefined;
  private allInflight: Promise<LoadedAll> | undefined;

  constructor(
    private readonly repository: FlagsRepository,
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly stats: CacheStats,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The flag from this process's memory at its current revision, or undefined: no await, no I/O. */
  peek(name: string): FlagDefinition | undefined {
    return this.edge.peek(name);
  }

  /** The newest revision this instance knows of the flag; undefined when it knows of no such flag. */
  revisionOf(name: string): number | undefined {
    return this.edge.revisionOf(name);
  }

  load(name: string): Promise<Loaded> {
    const fresh = this.edge.peek(name);
    if (fresh !== undefined) {
      this.stats.service.hits++;
      return Promise.resolve({ flag: fresh, cache: 'hit' });
    }
    if (this.edge.isUnknown(name)) return Promise.reject(FlagsError.notFound(name));
    let pending = this.inflight.get(name);
    if (pending === undefined) {
      pending = this.fetch(name).finally(() => this.inflight.delete(name));
      this.inflight.set(name, pending);
    }
    return pending;
  }

  /**
   * Every live flag, by name, from memory while no flag has changed since it was read (the list
   * memo, generation = highest known revision), else from the list cache, else PostgreSQL.
   */
  peekAll(): readonly FlagDefinition[] | undefined {
    const memo = this.allMemo;
    if (memo === undefined || memo.revision !== this.edge.maxRevision) return undefined;
    if (memo.freshUntil <= Date.now()) return undefined;
    this.stats.list.hits++;
    return memo.flags;
  }

  all(): Promise<LoadedAll> {
    const flags = this.peekAll();
    if (flags !== undefined) return Promise.resolve({ flags, cache: 'hit' });
    this.allInflight ??= this.fetchAll().finally(() => (this.allInflight = undefined));
    return this.allInflight;
  }

  /**
   * Archived flags, straight from PostgreSQL: an admin's occasional look (the console's
   * "archived" filter), so it takes no part in the caches, and there is nothing stale to
   * answer from when PostgreSQL is down.
   */
  async archived(): Promise<LoadedAll> {
    this.stats.dbReads++;
    return { flags: await this.repository.findArchived(), cache: 'miss' };
  }

  private async fetchAll(): Promise<LoadedAll> {
    const revision = this.edge.maxRevision;
    const memo = this.allMemo;
    const cached = await this.l2.get<FlagDefinition[]>(CacheKeys.list(revision));
    if (cached !== undefined) {
      this.stats.list.hits++;
      this.remember(revision, cached);
      return { flags: cached, cache: 'hit' };
    }
    this.stats.list.misses++;
    this.stats.dbReads++;
    const knownBefore = this.edge.revisionsCopy();
    let all: Awaited<ReturnType<FlagsRepository['findAll']>>;
    try {
      all = await this.repository.findAll();
    } catch (error) {
      if (!isDatabaseDown(error) || memo === undefined) throw error;
      this.stats.staleServed++;
      return { flags: memo.flags, cache: 'stale' };
    }
    // The list's generation is the highest revision of any row, archived ones included (an
    // archive changes the list too), which is what this instance tracks as maxRevision.
    let listRevision = 0;
    for (const f of all.flags) {
      const before = knownBefore.get(f.name);
      if (before !== undefined && f.revision < before)
        this.edge.correctRevision(f.name, f.revision);
      this.edge.store(f);
      listRevision = Math.max(listRevision, f.revision);
    }
    for (const a of all.archived) {
      this.edge.forget(a.name, a.revision);
      listRevision = Math.max(listRevision, a.revision);
    }
    if (listRevision >= this.edge.maxRevision) {
      this.remember(listRevision, all.flags);
      this.l2.set(CacheKeys.list(listRevision), all.flags, this.config.ttl.listMs);
    }
    return { flags: all.flags, cache: 'miss' };
  }

  private remember(revision: number, flags: FlagDefinition[]): void {
    this.allMemo = { revision, flags, freshUntil: Date.now() + this.config.ttl.listMs };
  }

  private async fetch(name: string): Promise<Loaded> {
    const revision = this.edge.revisionOf(name);
    if (revision !== undefined) {
      const cached = await this.l2.get<FlagDefinition>(CacheKeys.data(name, revision));
      if (cached !== undefined) {
        this.stats.service.hits++;
        this.stats.redisHits++;
        this.edge.store(cached);
        return { flag: cached, cache: 'hit' };
      }
    }
    this.stats.service.misses++;
    this.stats.dbReads++;
    let flag: FlagDefinition | null;
    try {
      flag = await this.repository.findByName(name);
    } catch (error) {
      const stale = isDatabaseDown(error) ? this.edge.peekStale(name) : undefined;
      if (stale === undefined) throw error;
      this.stats.staleServed++;
      return { flag: stale, cache: 'stale' };
    }
    if (flag === null) {
      // Archived or deleted meanwhile: remember it is gone, so that the next checks answer 404 from memory.
      if (revision !== undefined) this.edge.forget(name, revision);
      throw FlagsError.notFound(name);
    }
    // Read after we learnt of `revision`, so PostgreSQL has it unless it never existed.
    if (revision !== undefined && flag.revision < revision)
      this.edge.correctRevision(name, flag.revision);
    this.edge.store(flag);
    this.l2.set(CacheKeys.data(name, flag.revision), flag, this.config.ttl.serviceMs);
    return { flag, cache: 'miss' };
  }
}
