import { Injectable } from '@nestjs/common';

/** What a write did to a flag: flag_history's four actions, and a manual cache invalidation. */
export type ChangeAction = 'create' | 'update' | 'archive' | 'restore' | 'invalidate';

/** One change, as the change stream sends it and flag_history records it. */
export interface ChangeRecord {
  flag: string;
  revision: number;
  action: ChangeAction;
  actor: string;
  /** ISO time of the commit (flag_history.created_at). */
  at: string;
}

/**
 * "Flag F reached revision R", from whichever source learnt it first: this instance's own write
 * and a pub/sub message of a current instance know the whole change, the flag's previous
 * revision and the change recorded before it; a message from an instance of an earlier version
 * and the revision poll know only the flag and the revision (the listener looks the rest up in
 * PostgreSQL).
 */
export interface ChangeNotice extends Partial<Omit<ChangeRecord, 'flag' | 'revision'>> {
  flag: string;
  revision: number;
  /** The flag's revision before this change (0: it did not exist); sent on as `p` for instances of earlier versions. */
  previous?: number;
  /** The revision of the change recorded right before this one, any flag's (0: none), so a listener can tell it missed one. */
  follows?: number;
}

/**
 * The one place every source of "flag F is at revision R" reports to (own writes, pub/sub, the
 * revision poll), so that the change stream listens to one thing. Listeners are called
 * synchronously and must not throw.
 */
@Injectable()
export class ChangeNotices {
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();

  announce(notice: ChangeNotice): void {
    for (const listener of this.listeners) listener(notice);
  }

  /** Returns the function that stops listening. */
  listen(listener: (notice: ChangeNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
