import { LRUCache } from 'lru-cache';
import type { FlagDefinition } from '@app/flag-model';

interface Entry {
  readonly snapshot: FlagDefinition;
  readonly freshUntil: number;
}

/**
 * The edge cache (L1): flag data held in this process, so that a check is answered with no
 * network round trip. It holds flag data, never per-user answers: evaluating the rollout from
 * the flag costs less than looking an answer up, and memory stays bounded by the number of flags
 * (`maxFlags`, LRU) whatever the number of users.
 *
 * Freshness is decided by revision, not by time: `revisions` holds the newest revision this
 * instance knows of for every flag (from its own writes, pub/sub and the PostgreSQL poll). A
 * snapshot older than that is not served as fresh, but is kept: it is the last known data to
 * serve when PostgreSQL is down (stale-if-error). The TTL is only a safety net.
 */
export class EdgeCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly revisions = new Map<string, number>();
  private highest = 0;
  /** True once `revisions` has been loaded from PostgreSQL: a name absent from it is not a flag. */
  complete = false;

  constructor(
    maxFlags: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: maxFlags });
  }

  /** The snapshot if it is current and within its TTL: the hot path's only lookup. */
  peek(name: string): FlagDefinition | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined || entry.freshUntil < this.now()) return undefined;
    const known = this.revisions.get(name);
    return known === undefined || entry.snapshot.revision >= known ? entry.snapshot : undefined;
  }

  /** The last known snapshot, however old: for stale-if-error. */
  peekStale(name: string): FlagDefinition | undefined {
    return this.entries.peek(name)?.snapshot ?? this.entries.get(name)?.snapshot;
  }

  store(snapshot: FlagDefinition): void {
    this.noteRevision(snapshot.name, snapshot.revision);
    const current = this.entries.peek(snapshot.name);
    if (current !== undefined && current.snapshot.revision > snapshot.revision) return;
    this.entries.set(snapshot.name, { snapshot, freshUntil: this.now() + this.ttlMs });
  }

  /** Records that `name` has reached `revision`; returns true when that is news. */
  noteRevision(name: string, revision: number): boolean {
    const known = this.revisions.get(name);
    if (known !== undefined && known >= revision) return false;
    this.revisions.set(name, revision);
    if (revision > this.highest) this.highest = revision;
    return true;
  }

  /**
   * PostgreSQL says the flag is at `revision`, lower than what this instance believed (a bogus
   * message, or a database restored from backup): PostgreSQL is the source of truth. Without
   * this, a revision that never comes would keep the flag out of the edge cache for good.
   */
  correctRevision(name: string, revision: number): void {
    if (this.revisions.get(name) === revision) return;
    this.revisions.set(name, revision);
    this.highest = 0;
    for (const r of this.revisions.values()) if (r > this.highest) this.highest = r;
  }

  /** The flag was archived (at `revision`): from now on it is not a flag, until a newer revision says otherwise. */
  forget(name: string, revision: number): void {
    const known = this.revisions.get(name);
    if (known !== undefined && known > revision) return;
    this.revisions.delete(name);
    this.entries.delete(name);
    if (revision > this.highest) this.highest = revision;
  }

  /** Newest revision known for the flag, or undefined when this instance has never heard of it. */
  revisionOf(name: string): number | undefined {
    return this.revisions.get(name);
  }

  /** The revisions known now, to compare with what PostgreSQL answers to a query started after. */
  revisionsCopy(): Map<string, number> {
    return new Map(this.revisions);
  }

  /** Highest revision of any flag: the generation of the flag list. */
  get maxRevision(): number {
    return this.highest;
  }

  /** Whether the flag certainly does not exist (as of the last sync with PostgreSQL). */
  isUnknown(name: string): boolean {
    return this.complete && !this.revisions.has(name);
  }

  /** Live flags this instance knows of (from the revision list). */
  get knownFlags(): number {
    return this.revisions.size;
  }

  get size(): number {
    return this.entries.size;
  }

  get max(): number {
    return this.entries.max;
  }

  /** Drops every snapshot (revisions stay). Not needed by the service (revisions decide freshness); the e2e suite uses it to start from a cold cache. */
  clear(): void {
    this.entries.clear();
  }
}
