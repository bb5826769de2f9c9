import type { ChangeRecord } from '@app/cache';
import { ChangeLog } from '@app/flags';
import { flagServices } from '../../flags/src/testing/fixtures';
import { ChangeFeed } from './change-feed';

type Services = ReturnType<typeof flagServices>;

/** A feed over the in-memory repository, hearing the services' notices, started after `before` ran. */
async function feed(
  before: (s: Services) => Promise<void> = () => Promise.resolve(),
  firstLoadFailed = false,
) {
  const services = flagServices();
  await before(services);
  // What the revision poll's first load leaves in the edge cache.
  for (const { name, revision } of await services.repository.revisionsSince(0))
    services.edge.noteRevision(name, revision);
  services.edge.complete = !firstLoadFailed;
  const log = new ChangeLog(services.repository);
  const lookups = jest.spyOn(log, 'between');
  const sut = new ChangeFeed(services.notices, log, services.edge);
  sut.retryDelaysMs = [1, 1];
  sut.onApplicationBootstrap();
  const got: ChangeRecord[] = [];
  sut.subscribe((c) => got.push(c));
  return { ...services, sut, got, lookups };
}

/** A write this instance does not hear of (made by another instance, its message lost). */
const writeElsewhere = (s: Services, name: string, enabled: boolean, actor: string) =>
  s.repository.upsert(name, () => ({ ...STATE, enabled }), actor);
const STATE = {
  enabled: true,
  rollout_percentage: 100,
  metadata: {},
  type: 'boolean' as const,
  variants: [],
  default_variant: null,
  rules: [],
};

const summary = (got: ChangeRecord[]) => got.map((c) => [c.flag, c.revision, c.action, c.actor]);

describe(ChangeFeed.name, () => {
  it("sends this instance's writes at once, each once, whatever else reports them again", async () => {
    const s = await feed();
    const { revision } = await s.admin.update('f', { enabled: true, definition: {} }, 'alice');
    await s.admin.invalidate('f', 'bob');
    s.notices.announce({ flag: 'f', revision }); // the revision poll, later
    s.notices.announce({ flag: 'f', revision, previous: 0, action: 'create', actor: 'alice' }); // own pub/sub message
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['f', 1, 'create', 'alice'],
      ['f', 2, 'invalidate', 'bob'],
    ]);
  });

  it("passes on whole changes that follow on from the last one sent, any flag's, without reading the ledger", async () => {
    const s = await feed();
    await s.admin.update('a', { enabled: true, definition: {} }, 'alice');
    await s.admin.update('b', { enabled: true, definition: {} }, 'bob');
    await s.admin.invalidate('a', 'carol');
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['a', 1, 'create', 'alice'],
      ['b', 2, 'create', 'bob'],
      ['a', 3, 'invalidate', 'carol'],
    ]);
    expect(s.lookups).not.toHaveBeenCalled();
  });

  it('sends changes of different flags in revision order when their messages cross', async () => {
    const s = await feed();
    const first = (await writeElsewhere(s, 'a', true, 'alice')).change;
    const second = (await writeElsewhere(s, 'b', true, 'bob')).change;
    expect(second.follows).toBe(first.revision);
    s.notices.announce(second); // overtook the first on the way
    s.notices.announce(first);
    s.notices.announce(second); // and again, from the poll
    await s.sut.settled();
    // Ids only grow: a client resuming from b's id has missed nothing.
    expect(summary(s.got)).toEqual([
      ['a', 1, 'create', 'alice'],
      ['b', 2, 'create', 'bob'],
    ]);
    expect(s.lookups).toHaveBeenCalledTimes(1);
  });

  it('reads a long gap in several lookups', async () => {
    const s = await feed();
    for (let i = 0; i < 1001; i++) await writeElsewhere(s, `f${i % 3}`, i % 2 === 0, 'x');
    const { change } = await writeElsewhere(s, 'last', true, 'y');
    s.notices.announce(change);
    await s.sut.settled();
    expect(s.got.map((c) => c.revision)).toEqual(Array.from({ length: 1002 }, (_, i) => i + 1));
    expect(s.lookups).toHaveBeenCalledTimes(2);
  });

  it('reads action and actor from the ledger when only flag and revision are known, missed changes included', async () => {
    const s = await feed();
    await writeElsewhere(s, 'f', true, 'alice');
    await writeElsewhere(s, 'f', false, 'bob');
    s.notices.announce({ flag: 'f', revision: 2 }); // what the poll sees: only the latest
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['f', 1, 'create', 'alice'],
      ['f', 2, 'update', 'bob'],
    ]);
  });

  it('fills a gap: a whole change that does not follow the last one sent brings the missed ones first', async () => {
    const s = await feed();
    await s.admin.update('f', { enabled: true, definition: {} }, 'alice');
    await writeElsewhere(s, 'f', false, 'bob'); // revision 2: its message was lost
    const { change } = await writeElsewhere(s, 'f', true, 'carol'); // revision 3: its message arrives
    s.notices.announce(change);
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['f', 1, 'create', 'alice'],
      ['f', 2, 'update', 'bob'],
      ['f', 3, 'update', 'carol'],
    ]);
  });

  it('treats what was known at start as history, not news', async () => {
    const s = await feed(async (before) => {
      await before.admin.update('old', { enabled: true, definition: {} }, 'alice');
    });
    s.notices.announce({ flag: 'old', revision: 1 });
    await s.sut.settled();
    expect(s.got).toEqual([]);
  });

  it('tells of a change it cannot read after its tries (PostgreSQL down) with what it knows', async () => {
    const s = await feed();
    s.repository.down = true;
    s.notices.announce({ flag: 'f', revision: 7 });
    await s.sut.settled();
    expect(summary(s.got)).toEqual([['f', 7, 'update', 'unknown']]);
    expect(s.lookups).toHaveBeenCalledTimes(3); // the first try and two more
  });

  it('skips nothing when a read fails once: it is tried again', async () => {
    const s = await feed();
    const first = (await writeElsewhere(s, 'a', true, 'alice')).change;
    const second = (await writeElsewhere(s, 'b', true, 'bob')).change;
    s.lookups.mockRejectedValueOnce(new Error('a blip'));
    s.notices.announce(second); // crossed: needs a lookup, whose first read fails
    s.notices.announce(first);
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['a', 1, 'create', 'alice'],
      ['b', 2, 'create', 'bob'],
    ]);
  });

  it('does not send a revision the ledger does not have, read without error', async () => {
    const s = await feed();
    s.notices.announce({ flag: 'f', revision: 1_000_000 }); // a wrong message
    await s.sut.settled();
    expect(s.got).toEqual([]);
    await s.admin.update('f', { enabled: true, definition: {} }, 'alice'); // still news after it
    expect(summary(s.got)).toEqual([['f', 1, 'create', 'alice']]);
  });

  it('sends no history as news when the first load had failed at start', async () => {
    const s = await feed(async (before) => {
      await before.admin.update('old', { enabled: true, definition: {} }, 'alice');
      await before.admin.update('old', { enabled: false, definition: {} }, 'alice');
    }, true);
    await writeElsewhere(s, 'new', true, 'bob');
    s.notices.announce({ flag: 'new', revision: 3 }); // from the poll, once it works
    await s.sut.settled();
    expect(summary(s.got)).toEqual([['new', 3, 'create', 'bob']]);
  });

  it('every listener gets a change though one throws, and the write that announced it is not failed', async () => {
    const s = await feed();
    s.sut.subscribe(() => {
      throw new Error('a broken listener');
    });
    const after: ChangeRecord[] = [];
    s.sut.subscribe((c) => after.push(c));
    await expect(
      s.admin.update('a', { enabled: true, definition: {} }, 'alice'),
    ).resolves.toMatchObject({
      revision: 1,
    });
    await writeElsewhere(s, 'b', true, 'bob');
    s.notices.announce({ flag: 'b', revision: 2 }); // through a lookup too
    await s.sut.settled();
    expect(summary(after)).toEqual([
      ['a', 1, 'create', 'alice'],
      ['b', 2, 'create', 'bob'],
    ]);
  });

  it('keeps the order of what arrives while a lookup is under way', async () => {
    const s = await feed();
    await writeElsewhere(s, 'g', true, 'alice');
    const archived = await s.repository.archive('g', 'b');
    s.notices.announce({ flag: 'g', revision: 1 }); // needs a lookup
    s.notices.announce(archived!); // follows on from it: waits for the lookup, then goes out
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['g', 1, 'create', 'alice'],
      ['g', 2, 'archive', 'b'],
    ]);
  });
});
