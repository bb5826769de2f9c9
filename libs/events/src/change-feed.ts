import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChangeNotice, ChangeNotices, ChangeRecord, EdgeCache } from '@app/cache';
import { ChangeLog } from '@app/flags';

/** Rows read per lookup; a longer gap is read in several. */
const LOOKUP_ROWS = 1000;

/**
 * Turns the notices of every source (own writes, pub/sub, the revision poll) into one sequence
 * of changes in revision order, without gaps or duplicates, which every open stream of this
 * instance gets. A stream's ids then only grow, so a client that resumes from the last id it got
 * (Last-Event-ID) is replayed exactly what it missed.
 *
 * Writes commit in revision order (FlagsRepository), and each whole change says which recorded
 * change came right before it (`follows`). A notice that follows on from the last change sent is
 * passed on at once, with no database read: that is every write of this instance and, unless
 * messages of two instances crossed on the way, every pub/sub message of a current one.
 * Otherwise (messages that crossed or were lost, a message of an instance of an earlier version,
 * a revision learnt only from the poll) the changes up to the notice's revision are read from
 * flag_history, complete since the notice's own change has committed. Notices are handled one at
 * a time, in the order they arrive, while a lookup is under way; a read that fails is tried
 * again (`retryDelaysMs`) before the notice is sent with only what it says, so a database blip
 * delays changes rather than skipping them.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ChangeFeed.name);
  /** The highest revision sent (or known when this instance started: history, not news). */
  private sent = 0;
  /**
   * False when the revision poll's first load had failed at start (`sent` is then 0, not the
   * last change before this instance started): the first notice sets it, so that the whole
   * history is not sent as news.
   */
  private baselined = false;
  /** Notices waiting behind a lookup, and the lookup's end; undefined when none is under way. */
  private queue: Promise<void> | undefined;
  private readonly listeners = new Set<(change: ChangeRecord) => void>();
  private stopListening: (() => void) | undefined;
  /** Pauses before each new try of a failed read (specs shorten them). */
  retryDelaysMs: readonly number[] = [200, 1000, 2000];

  constructor(
    private readonly notices: ChangeNotices,
    private readonly changes: ChangeLog,
    private readonly edge: EdgeCache,
  ) {}

  /** After the revision poll's first load (FlagsModule boots first: this module imports it). */
  onApplicationBootstrap(): void {
    this.sent = this.edge.maxRevision;
    this.baselined = this.edge.complete;
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

  /** Settles when every notice received so far has been handled (for tests). */
  async settled(): Promise<void> {
    while (this.queue !== undefined) await this.queue;
  }

  private receive(notice: ChangeNotice): void {
    if (!this.baselined) {
      this.baselined = true;
      this.sent = Math.max(this.sent, notice.follows ?? notice.revision - 1);
    }
    if (this.queue === undefined) {
      const lookup = this.handle(notice);
      if (lookup === undefined) return;
      this.queue = lookup;
    } else {
      this.queue = this.queue.then(() => this.handle(notice));
    }
    const queued = this.queue;
    void queued.then(() => {
      if (this.queue === queued) this.queue = undefined;
    });
  }

  /** Sends what the notice tells, or returns the lookup it needs (which never rejects). */
  private handle(notice: ChangeNotice): Promise<void> | undefined {
    if (notice.revision <= this.sent) return undefined;
    const { action, actor, follows } = notice;
    if (
      action !== undefined &&
      actor !== undefined &&
      follows !== undefined &&
      follows <= this.sent
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
    return this.lookUp(notice);
  }

  /**
   * Sends every recorded change up to the notice's revision. A revision the ledger does not
   * have, read without error, is not sent: every write records its change, so it can only be a
   * message that is wrong (another deployment on the same Redis database), and sending it would
   * raise `sent` past changes still to come.
   */
  private async lookUp(notice: ChangeNotice): Promise<void> {
    let failures = 0;
    for (;;) {
      let rows: ChangeRecord[];
      try {
        rows = await this.changes.between(this.sent, notice.revision, LOOKUP_ROWS);
      } catch (error) {
        const delay = this.retryDelaysMs[failures++];
        if (delay === undefined) {
          this.log.error(
            `could not read the changes up to revision ${notice.revision} (${(error as Error).message}): sending it with what is known; changes before it that this instance had not heard of are not sent`,
          );
          this.emitUnrecorded(notice);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      for (const row of rows) if (row.revision > this.sent) this.emit(row);
      if (rows.length < LOOKUP_ROWS) return;
    }
  }

  /**
   * A revision whose change PostgreSQL did not give (it did not answer): the stream still tells
   * of it, with what is known. Its clients are told something changed rather than nothing.
   */
  private emitUnrecorded(notice: ChangeNotice): void {
    if (notice.revision <= this.sent) return;
    this.emit({
      flag: notice.flag,
      revision: notice.revision,
      action: notice.action ?? 'update',
      actor: notice.actor ?? 'unknown',
      at: notice.at ?? new Date().toISOString(),
    });
  }

  /** Every listener gets the change, whatever another does: one that throws is logged. */
  private emit(change: ChangeRecord): void {
    this.sent = change.revision;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.error(
          `a change-stream listener failed at revision ${change.revision}: ${String(error)}`,
        );
      }
    }
  }
}
