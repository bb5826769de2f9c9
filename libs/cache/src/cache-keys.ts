/**
 * The one place cache keys are made.
 *
 * Every key of a flag embeds the flag's revision (its cache generation). An update or a manual
 * invalidation takes a new revision, so every older key of that flag, however many users it was
 * cached for, becomes unreachable in O(1) and expires by its TTL; nothing is scanned or deleted.
 * `{name}` is a Redis Cluster hash tag: all keys of one flag live in one slot.
 * `v2` is the format of the values: it changed when flags gained rules and variants, so that
 * instances of two versions running side by side in a rolling deploy never read each other's
 * entries.
 */
const P = 'ef:v2';
const user = (userId: string | undefined) =>
  userId === undefined || userId === '' ? 'anon' : `u:${userId}`;

export const CacheKeys = {
  data: (flag: string, revision: number) => `${P}:{${flag}}:${revision}:data`,
  check: (flag: string, revision: number, userId: string | undefined) =>
    `${P}:{${flag}}:${revision}:check:${user(userId)}`,
  endpoint: (flag: string, revision: number, userId: string | undefined) =>
    `${P}:{${flag}}:${revision}:endpoint:${user(userId)}`,
  /** The list changes whenever any flag does, so its generation is the highest revision known. */
  list: (maxRevision: number) => `${P}:list:${maxRevision}`,
  /**
   * Pub/sub channel carrying `{"f": name, "r": revision}` to every instance. Channels are
   * server-wide in Redis, so the database number is part of the name: deployments that share a
   * Redis server on different databases do not hear each other's invalidations.
   */
  invalidationChannel: (database: number) => `ef:invalidate:${database}`,
} as const;
