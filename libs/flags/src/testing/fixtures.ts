import { createCache } from 'cache-manager';
import {
  boundedMemoryStore,
  CacheStats,
  ChangeNotices,
  EdgeCache,
  InvalidationBus,
  L2Cache,
} from '@app/cache';

import { loadConfig } from '@app/config';
import { Circuits } from '@app/resilience';
import { FlagAdmin } from '../flag-admin';
import { FlagReader } from '../flag-reader';
import { InMemoryFlagsRepository } from './in-memory-flags.repository';

/** The read and write services wired as in the app, over the in-memory repository and an in-process L2. */
export function flagServices() {
  const config = loadConfig({});
  const repository = new InMemoryFlagsRepository();
  const stats = new CacheStats();
  const edge = new EdgeCache(100, 60_000);
  const l2 = new L2Cache(
    createCache({ stores: [boundedMemoryStore(1000)] }),
    null,
    config,
    stats,
    new Circuits(),
  );
  const notices = new ChangeNotices();
  const bus = new InvalidationBus(null, edge, stats, notices);
  return {
    repository,
    stats,
    edge,
    notices,
    reader: new FlagReader(repository, edge, l2, stats, config),
    admin: new FlagAdmin(repository, edge, bus, notices),
  };
}
