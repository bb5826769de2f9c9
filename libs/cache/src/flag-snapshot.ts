/** A flag as every cache layer holds it: plain data, JSON-safe, with the revision it was read at. */
export interface FlagSnapshot {
  readonly name: string;
  readonly enabled: boolean;
  readonly rolloutPercentage: number;
  readonly metadata: Record<string, unknown>;
  /** Value of the global revision sequence at the flag's last write or invalidation. */
  readonly revision: number;
}

export type CacheOutcome = 'hit' | 'miss' | 'stale';
