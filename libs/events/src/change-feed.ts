import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChangeNotice, ChangeNotices, ChangeRecord, EdgeCache } from '@app/cache';
import { ChangeLog } from '@app/flags';

/**
 * Turns the notices of every source (own writes, pub/sub, the revision poll) into one ordered,
 * duplicate-free sequence of changes per flag, which every open stream of this instance gets.
 *
 * A change is news when its revision is above the last one sent for its flag (one flag's
 * revisions commit in order: its writes hold a per-flag lock). A notice that carries the whole
 * change and follows on from the last one sent is passed on at once, with no database read:
 * that is every write of this instance and every pub/sub message of a current one. Otherwise
 * (a message of an instance of the previous version, a revision learnt only from the poll, or a
 * pub/sub message after a lost one) the flag's missing changes are read from flag_history; one
 * flag's lookups run one after another, so its changes still go out in order.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ChangeFeed.name);
  private readonly sent = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(change: ChangeRecord) => void>();
  /** Revisions up to this were known when this instance started: history, not news. */
  private floor = 0;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly notices: ChangeNotices,
    private readonly changes: ChangeLog,
    private readonly edge: EdgeCache,
  ) {}

  /** After the revision poll's first load (FlagsModule boots first: this module imports it). */
  onApplicationBootstrap(): void {
    this.floor = this.edge.maxRevision;
    this.stopListening = this.notices.listen((notice) => this.receive(notice));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Returns the function that stops the subscription. */
  subscribe(listener: (change: ChangeRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Settles when every lookup started so far is done (for tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }

  private receive(notice: ChangeNotice): void {
    const busy = this.pending.get(notice.flag);
    const work = busy === undefined ? this.handle(notice) : busy.then(() => this.handle(notice));
    if (work === undefined) return;
    this.pending.set(notice.flag, work);
    void work.then(() => {
      if (this.pending.get(notice.flag) === work) this.pending.delete(notice.flag);
    });
  }

  /** Sends what the notice tells, or returns the lookup it needs (which never rejects). */
  private handle(notice: ChangeNotice): Promise<void> | undefined {
    const known = this.sent.get(notice.flag) ?? this.floor;
    if (notice.revision <= known) return undefined;
    const { action, actor, previous } = notice;
    if (
      action !== undefined &&
      actor !== undefined &&
      previous !== undefined &&
      previous <= known
    ) {
      this.emit({
        flag: notice.flag,
        revision: notice.revision,
        action,
        actor,
        at: notice.at ?? new Date().toISOString(),
      });
      return undefined;
    }
    return this.changes.ofFlag(notice.flag, known, notice.revision).then(
      (rows) => {
        for (const row of rows) if (row.revision > (this.sent.get(row.flag) ?? 0)) this.emit(row);
        if ((this.sent.get(notice.flag) ?? 0) < notice.revision) this.emitUnrecorded(notice);
      },
      (error: Error) => {
        this.log.warn(`could not read the change at revision ${notice.revision}: ${error.message}`);
        this.emitUnrecorded(notice);
      },
    );
  }

  /**
   * A revision with no flag_history row to read (written by an instance of the previous
   * version, or PostgreSQL did not answer): the stream still tells of it, with what is known.
   * Its clients are told something changed rather than nothing.
   */
  private emitUnrecorded(notice: ChangeNotice): void {
    this.emit({
      flag: notice.flag,
      revision: notice.revision,
      action: notice.action ?? 'update',
      actor: notice.actor ?? 'unknown',
      at: notice.at ?? new Date().toISOString(),
    });
  }

  private emit(change: ChangeRecord): void {
    this.sent.set(change.flag, change.revision);
    for (const listener of this.listeners) listener(change);
  }
}
