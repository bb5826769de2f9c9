import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  CacheKeys,
  CacheOutcome,
  CacheStats,
  CheckBody,
  detailsBody,
  EdgeCache,
  FlagDetailsBody,
  FlagSnapshot,
  InvalidationBus,
  L2Cache,
} from '@app/cache';
import { isEnabledFor } from '@app/rollout';
import { FlagsError, FlagsErrorCode } from './flags.errors';
import { ChangeAction, FlagPatch, FlagsRepository, HistoryEntry } from './flags.repository';

export interface FlagListItem {
  flag_name: string;
  enabled: boolean;
  rollout_percentage: number;
  metadata: Record<string, unknown>;
}
export interface FlagListBody {
  flags: FlagListItem[];
  count: number;
  _cache: CacheOutcome;
}
export interface FlagUpdateBody {
  flag_name: string;
  created: boolean;
  action: ChangeAction;
  revision: number;
  flag_data: { enabled: boolean; rollout_percentage: number; metadata: Record<string, unknown> };
}
export interface FlagArchiveBody {
  flag_name: string;
  archived: true;
  revision: number;
}
export interface FlagHistoryBody {
  flag_name: string;
  entries: HistoryEntry[];
  next_cursor: string | null;
}
export interface FlagInvalidateBody {
  flag_name: string;
  invalidated: string[];
  revision: number;
}

interface Loaded {
  flag: FlagSnapshot;
  cache: CacheOutcome;
}

const toListItem = (f: FlagSnapshot): FlagListItem => ({
  flag_name: f.name,
  enabled: f.enabled,
  rollout_percentage: f.rolloutPercentage,
  metadata: f.metadata,
});
const isDatabaseDown = (e: unknown) =>
  e instanceof FlagsError && e.code === FlagsErrorCode.DatabaseUnavailable;

/**
 * Flag data, cache-aside over three tiers: the edge cache (L1, this process), the service cache
 * (L2, Redis, 300 s) and PostgreSQL. Concurrent misses of one flag share one load (single-flight).
 * When PostgreSQL is down, the last data this instance loaded is served as `stale`.
 * Writes go to PostgreSQL first; the new revision then invalidates every layer of the flag here,
 * and is published to every other instance.
 */
@Injectable()
export class FlagsService {
  private readonly inflight = new Map<string, Promise<Loaded>>();
  private listMemo: { revision: number; flags: FlagListItem[]; freshUntil: number } | undefined;

  constructor(
    private readonly repository: FlagsRepository,
    private readonly edge: EdgeCache,
    private readonly l2: L2Cache,
    private readonly bus: InvalidationBus,
    private readonly stats: CacheStats,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(name: string, userId: string | undefined): Promise<CheckBody> {
    const { flag, cache } = await this.load(name);
    return { enabled: isEnabledFor(flag, name, userId), _cache: cache };
  }

  async details(name: string, userId: string | undefined): Promise<FlagDetailsBody> {
    const { flag, cache } = await this.load(name);
    return detailsBody(flag, userId, cache);
  }

  async list(): Promise<FlagListBody> {
    const revision = this.edge.maxRevision;
    const memo = this.listMemo;
    if (memo !== undefined && memo.revision === revision && memo.freshUntil > Date.now()) {
      this.stats.list.hits++;
      return { flags: memo.flags, count: memo.flags.length, _cache: 'hit' };
    }
    const cached = await this.l2.get<FlagListItem[]>(CacheKeys.list(revision));
    if (cached !== undefined) {
      this.stats.list.hits++;
      this.listMemo = { revision, flags: cached, freshUntil: Date.now() + this.config.ttl.listMs };
      return { flags: cached, count: cached.length, _cache: 'hit' };
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
      return { flags: memo.flags, count: memo.flags.length, _cache: 'stale' };
    }
    // The list's generation is the highest revision of any row, archived ones included (an
    // archive changes the list too), which is what this instance tracks as maxRevision.
    let listRevision = 0;
    for (const f of all.flags) {
      const before = knownBefore.get(f.name);
      if (before !== undefined && f.revision < before)
        this.edge.correctRevision(f.name, f.revision);
      else this.edge.noteRevision(f.name, f.revision);
      listRevision = Math.max(listRevision, f.revision);
    }
    for (const a of all.archived) {
      this.edge.forget(a.name, a.revision);
      listRevision = Math.max(listRevision, a.revision);
    }
    const flags = all.flags.map(toListItem);
    if (listRevision >= this.edge.maxRevision) {
      this.listMemo = {
        revision: listRevision,
        flags,
        freshUntil: Date.now() + this.config.ttl.listMs,
      };
      this.l2.set(CacheKeys.list(listRevision), flags, this.config.ttl.listMs);
    }
    return { flags, count: flags.length, _cache: 'miss' };
  }

  async update(name: string, patch: FlagPatch, actor: string): Promise<FlagUpdateBody> {
    const { flag, action } = await this.repository.upsert(name, patch, actor);
    this.invalidateEverywhere(name, flag.revision);
    return {
      flag_name: flag.name,
      created: action === 'create',
      action,
      revision: flag.revision,
      flag_data: {
        enabled: flag.enabled,
        rollout_percentage: flag.rolloutPercentage,
        metadata: flag.metadata,
      },
    };
  }

  async invalidate(name: string): Promise<FlagInvalidateBody> {
    const revision = await this.repository.bumpRevision(name);
    if (revision === null) throw FlagsError.notFound(name);
    this.invalidateEverywhere(name, revision);
    return { flag_name: name, invalidated: ['check', 'endpoint', 'service', 'list'], revision };
  }

  async archive(name: string, actor: string): Promise<FlagArchiveBody> {
    const revision = await this.repository.archive(name, actor);
    if (revision === null) throw FlagsError.notFound(name);
    this.edge.forget(name, revision);
    this.bus.publish(name, revision, true);
    return { flag_name: name, archived: true, revision };
  }

  async history(name: string, limit: number, cursor?: string): Promise<FlagHistoryBody> {
    const entries = await this.repository.history(name, limit, cursor);
    if (entries === null) throw FlagsError.notFound(name);
    const next = entries.length === limit ? entries[entries.length - 1].id : null;
    return { flag_name: name, entries, next_cursor: next };
  }

  /**
   * O(1) whatever the number of cached users: knowing the new revision makes every key of the
   * older one unreachable here at once, and the message does the same on every other instance.
   */
  private invalidateEverywhere(name: string, revision: number): void {
    this.edge.noteRevision(name, revision);
    this.bus.publish(name, revision);
  }

  private load(name: string): Promise<Loaded> {
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

  private async fetch(name: string): Promise<Loaded> {
    const revision = this.edge.revisionOf(name);
    if (revision !== undefined) {
      const cached = await this.l2.get<FlagSnapshot>(CacheKeys.data(name, revision));
      if (cached !== undefined) {
        this.stats.service.hits++;
        this.stats.redisHits++;
        this.edge.store(cached);
        return { flag: cached, cache: 'hit' };
      }
    }
    this.stats.service.misses++;
    this.stats.dbReads++;
    let flag: FlagSnapshot | null;
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
