import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';

/**
 * The in-process stand-in for Redis (REDIS_URL unset). Keyv's default Map never evicts an
 * expired key it is not asked for again, so a million users' answers would stay in memory;
 * this one holds at most `maxKeys`, least recently used out first. Keyv keeps the expiry in
 * the stored value, so the adapter only needs Map's four methods (LRUCache's own `set` takes an
 * options object where Keyv passes a TTL number, hence the wrapper).
 */
export function boundedMemoryStore(maxKeys: number): Keyv {
  const lru = new LRUCache<string, NonNullable<unknown>>({ max: maxKeys });
  const store = {
    get: (key: string) => lru.get(key),
    set: (key: string, value: NonNullable<unknown>) => {
      lru.set(key, value);
      return true;
    },
    delete: (key: string) => lru.delete(key),
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
  return new Keyv({ store });
}
