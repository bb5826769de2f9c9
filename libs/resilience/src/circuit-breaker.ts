export type CircuitState = 'closed' | 'open' | 'half_open';

/** What `/health`, `/cache/stats` and `/metrics` show of a breaker. */
export interface CircuitSnapshot {
  state: CircuitState;
  /** Consecutive failed attempts (the one that opened the breaker and every failed probe since). */
  failures: number;
  opened_at: string | null;
}

export interface CircuitOptions {
  /** How long the breaker stays open after the first failure; doubled by every failed probe. */
  baseMs: number;
  /** The cap on that interval: a dependency that is back is used again within this much time. */
  maxMs: number;
  now?: () => number;
}

/**
 * A circuit breaker for one dependency of this instance. After a failure it opens: calls that
 * can be skipped (loads that have a fallback) are skipped at once instead of waiting on a dead
 * dependency, for an interval that starts at `baseMs` and doubles with every failed probe up to
 * `maxMs`. When the interval has passed, exactly one caller is let through as the probe
 * (half-open); its outcome closes the breaker or opens it again for longer.
 *
 * Calls that must not be skipped (writes) do not ask `allow()`; they report their outcome like
 * any other call, so a write that succeeds closes the breaker at once.
 *
 * A failure reported while the breaker is already open and no probe is out comes from a call
 * that started before it opened: it says nothing new, so it does not lengthen the interval
 * (otherwise ten loads in flight when the database hung would back off for the maximum at once).
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private probeSince: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: CircuitOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.probeSince === undefined ? 'open' : 'half_open';
  }

  get closed(): boolean {
    return this.openedAt === undefined;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** How long the breaker stays open after its latest failure. */
  get intervalMs(): number {
    const doublings = Math.max(0, this.consecutiveFailures - 1);
    return Math.min(this.options.baseMs * 2 ** Math.min(doublings, 30), this.options.maxMs);
  }

  /**
   * May a skippable call go ahead now? Always while closed; while open, only once the interval
   * has passed and no probe is out, and then the caller is the probe and must report.
   */
  allow(): boolean {
    if (this.openedAt === undefined) return true;
    const now = this.now();
    // A probe that never reported (its caller lost it) must not keep the breaker shut forever.
    if (this.probeSince !== undefined && now - this.probeSince < this.options.maxMs) return false;
    if (now < this.openedAt + this.intervalMs) return false;
    this.probeSince = now;
    return true;
  }

  /** The dependency answered: close. */
  succeed(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.probeSince = undefined;
  }

  /** The dependency did not answer (in time). */
  fail(): void {
    if (this.openedAt !== undefined && this.probeSince === undefined) return;
    this.consecutiveFailures++;
    this.openedAt = this.now();
    this.probeSince = undefined;
  }

  snapshot(): CircuitSnapshot {
    return {
      state: this.state,
      failures: this.consecutiveFailures,
      opened_at: this.openedAt === undefined ? null : new Date(this.openedAt).toISOString(),
    };
  }
}
