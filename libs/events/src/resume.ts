import type { ChangeRecord } from '@app/cache';

/**
 * Joins a reconnecting client's replay (from PostgreSQL) to the live changes, with no gap and
 * no duplicate. The stream listens to live changes before the replay query starts, and holds
 * them until the replay is sent: a change committed before the query is in the replay, one
 * committed after it is not; nothing committed can fall between the two, because live changes
 * are announced only after their commit. A live change is dropped when the replay already had a
 * change of its flag at least as new: one flag's revisions commit in order (its writes hold a
 * per-flag lock), so that change was in the replay too. Memory: one number per flag replayed.
 */
export class Resume {
  private held: ChangeRecord[] | null = [];
  private readonly replayedUpTo = new Map<string, number>();

  /** `after`: the Last-Event-ID; the client has every change up to it. */
  constructor(
    private readonly after: number,
    private readonly send: (change: ChangeRecord) => void,
  ) {}

  /** A change read from PostgreSQL, oldest first. */
  replay(change: ChangeRecord): void {
    if (this.seen(change)) return;
    this.replayedUpTo.set(change.flag, change.revision);
    this.send(change);
  }

  /** A live change: held while the replay runs, sent once it is done (unless the replay had it). */
  live(change: ChangeRecord): void {
    if (this.held !== null) this.held.push(change);
    else if (!this.seen(change)) this.send(change);
  }

  /** The replay is sent: what was held goes out, and from now on live changes go straight through. */
  finish(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const change of held) this.live(change);
  }

  private seen(change: ChangeRecord): boolean {
    return (
      change.revision <= this.after || change.revision <= (this.replayedUpTo.get(change.flag) ?? 0)
    );
  }
}
