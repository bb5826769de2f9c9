/** Where an answer came from: a cache, PostgreSQL, or the last known data while PostgreSQL is down. */
export type CacheOutcome = 'hit' | 'miss' | 'stale';
