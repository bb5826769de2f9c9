import { FlagsErrorCode } from './flags.errors';
import { flagServices } from './testing/fixtures';

describe('FlagReader', () => {
  it('loads once for concurrent misses of one flag (single-flight), then answers from memory', async () => {
    const { reader, repository } = flagServices();
    repository.seed('f');
    const loads = await Promise.all(Array.from({ length: 20 }, () => reader.load('f')));
    expect(repository.reads).toBe(1);
    expect(new Set(loads.map((l) => l.flag)).size).toBe(1);
    expect(reader.peek('f')?.name).toBe('f');
    expect((await reader.load('f')).cache).toBe('hit');
  });

  it('serves the last known definition as stale while the database is down', async () => {
    const { reader, repository, edge, stats } = flagServices();
    const seeded = repository.seed('f');
    await reader.load('f');
    edge.noteRevision('f', seeded.revision + 1); // a newer revision it cannot load
    repository.down = true;
    expect(await reader.load('f')).toMatchObject({
      cache: 'stale',
      flag: { revision: seeded.revision },
    });
    expect(stats.staleServed).toBe(1);
  });

  it('fails as unavailable when the database is down and nothing was ever loaded', async () => {
    const { reader, repository, edge } = flagServices();
    edge.noteRevision('f', 1);
    repository.down = true;
    await expect(reader.load('f')).rejects.toMatchObject({
      code: FlagsErrorCode.DatabaseUnavailable,
    });
  });

  it('answers 404 from memory for a name the revision list does not know', async () => {
    const { reader, repository, edge } = flagServices();
    edge.complete = true; // the revision list has been loaded from PostgreSQL
    await expect(reader.load('nope')).rejects.toMatchObject({ code: FlagsErrorCode.FlagNotFound });
    expect(repository.reads).toBe(0);
  });

  it('lists every live flag once per generation, and stores each in memory', async () => {
    const { reader, repository } = flagServices();
    repository.seed('a');
    repository.seed('b');
    const first = await reader.all();
    expect(first.flags.map((f) => f.name)).toEqual(['a', 'b']);
    expect(first.cache).toBe('miss');
    expect(reader.peekAll()).toBe(first.flags);
    expect(reader.peek('b')?.name).toBe('b');
    expect(repository.reads).toBe(1);
  });

  it('lists the archived flags alone, from the repository on every call (never cached)', async () => {
    const { reader, admin, repository } = flagServices();
    repository.seed('live');
    repository.seed('gone');
    await admin.archive('gone', 'alice');
    const first = await reader.archived();
    expect(first).toMatchObject({ cache: 'miss', flags: [{ name: 'gone', updatedBy: 'alice' }] });
    const reads = repository.reads;
    await reader.archived();
    expect(repository.reads).toBe(reads + 1);
    expect((await reader.all()).flags.map((f) => f.name)).toEqual(['live']);
  });

  it("lists a write's author and time, in a new list generation", async () => {
    const { reader, admin, repository } = flagServices();
    repository.now = () => new Date('2026-01-02T03:04:05.000Z');
    repository.seed('f');
    const before = await reader.all();
    expect(before.flags[0]).toMatchObject({ updatedBy: null });
    await admin.update('f', { enabled: false, definition: {} }, 'bob');
    const after = await reader.all();
    expect(after.cache).toBe('miss');
    expect(after.flags[0]).toMatchObject({
      updatedAt: '2026-01-02T03:04:05.000Z',
      updatedBy: 'bob',
    });
  });
});
