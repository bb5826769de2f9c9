import type { ChangeRecord } from '@app/cache';
import { ChangeLog } from '@app/flags';
import { flagServices } from '../../flags/src/testing/fixtures';
import { ChangeFeed } from './change-feed';

type Services = ReturnType<typeof flagServices>;

/** A feed over the in-memory repository, hearing the services' notices, started after `before` ran. */
async function feed(before: (s: Services) => Promise<void> = () => Promise.resolve()) {
  const services = flagServices();
  await before(services);
  // What the revision poll's first load leaves in the edge cache.
  for (const { name, revision } of await services.repository.revisionsSince(0))
    services.edge.noteRevision(name, revision);
  const log = new ChangeLog(services.repository);
  const lookups = jest.spyOn(log, 'between');
  const sut = new ChangeFeed(services.notices, log, services.edge);
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

  it('tells of a change it cannot read (PostgreSQL down, or not recorded) with what it knows', async () => {
    const s = await feed();
    s.repository.down = true;
    s.notices.announce({ flag: 'f', revision: 7 });
    await s.sut.settled();
    expect(summary(s.got)).toEqual([['f', 7, 'update', 'unknown']]);
  });

  it('goes on after a listener throws while a lookup is under way', async () => {
    const s = await feed();
    s.sut.subscribe((c) => {
      if (c.revision === 2) throw new Error('a broken listener');
    });
    await writeElsewhere(s, 'a', true, 'alice');
    s.notices.announce({ flag: 'a', revision: 1 }); // a lookup
    const b = (await writeElsewhere(s, 'b', true, 'bob')).change;
    const c = (await writeElsewhere(s, 'c', true, 'carol')).change;
    s.notices.announce(b); // queued behind the lookup; its listener throws
    s.notices.announce(c); // queued behind that
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['a', 1, 'create', 'alice'],
      ['b', 2, 'create', 'bob'],
      ['c', 3, 'create', 'carol'],
    ]);
  });

  it('keeps the order of what arrives while a lookup is under way', async () => {
    const s = await feed();
    await writeElsewhere(s, 'g', true, 'alice');
    s.notices.announce({ flag: 'g', revision: 1 }); // needs a lookup
    s.notices.announce({
      flag: 'g',
      revision: 2,
      previous: 1,
      action: 'archive',
      actor: 'b',
      at: 't',
    });
    await s.sut.settled();
    expect(summary(s.got)).toEqual([
      ['g', 1, 'create', 'alice'],
      ['g', 2, 'archive', 'b'],
    ]);
  });
});
