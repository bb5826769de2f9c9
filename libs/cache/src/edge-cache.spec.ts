import { EdgeCache } from './edge-cache';
import type { FlagDefinition } from '@app/flag-model';

const snap = (name: string, revision: number, rolloutPercentage = 50): FlagDefinition => ({
  name,
  enabled: true,
  rolloutPercentage,
  metadata: {},
  type: 'boolean',
  variants: [],
  defaultVariant: null,
  rules: [],
  revision,
});

describe(EdgeCache.name, () => {
  let now = 0;
  let sut: EdgeCache;
  beforeEach(() => {
    now = 1_000;
    sut = new EdgeCache(3, 10_000, () => now);
  });

  it('serves a stored snapshot until a newer revision is known, then keeps it only as stale', () => {
    sut.store(snap('f', 1));
    expect(sut.peek('f')?.revision).toBe(1);
    expect(sut.noteRevision('f', 2)).toBe(true);
    expect(sut.peek('f')).toBeUndefined();
    expect(sut.peekStale('f')?.revision).toBe(1);
  });

  it('never lets an older load overwrite a newer snapshot', () => {
    sut.store(snap('f', 5, 80));
    sut.store(snap('f', 4, 10));
    expect(sut.peek('f')?.rolloutPercentage).toBe(80);
  });

  it('ignores revisions it already knows', () => {
    sut.noteRevision('f', 3);
    expect(sut.noteRevision('f', 3)).toBe(false);
    expect(sut.noteRevision('f', 2)).toBe(false);
    expect(sut.revisionOf('f')).toBe(3);
    expect(sut.maxRevision).toBe(3);
  });

  it('lets PostgreSQL correct a revision it never reached (bogus message, restored backup)', () => {
    sut.noteRevision('f', 999_999);
    sut.store(snap('f', 5));
    expect(sut.peek('f')).toBeUndefined();
    sut.correctRevision('f', 5);
    expect(sut.peek('f')?.revision).toBe(5);
    expect(sut.maxRevision).toBe(5);
  });

  it('expires snapshots after the TTL but keeps them for stale-if-error', () => {
    sut.store(snap('f', 1));
    now += 10_001;
    expect(sut.peek('f')).toBeUndefined();
    expect(sut.peekStale('f')?.revision).toBe(1);
  });

  it('is bounded: the least recently used flag is evicted', () => {
    for (const n of ['a', 'b', 'c']) sut.store(snap(n, 1));
    sut.peek('a');
    sut.store(snap('d', 1));
    expect(sut.size).toBe(3);
    expect(sut.peek('b')).toBeUndefined();
    expect(sut.peek('a')).toBeDefined();
  });

  it('knows a name is not a flag only once it has the full revision list', () => {
    expect(sut.isUnknown('ghost')).toBe(false);
    sut.complete = true;
    expect(sut.isUnknown('ghost')).toBe(true);
    sut.noteRevision('ghost', 9);
    expect(sut.isUnknown('ghost')).toBe(false);
  });

  it('serves a snapshot up to the last millisecond of its TTL', () => {
    sut.store(snap('f', 1));
    now += 10_000;
    expect(sut.peek('f')?.revision).toBe(1);
    now += 1;
    expect(sut.peek('f')).toBeUndefined();
  });

  it('serves a snapshot of a flag whose revision it has not heard of otherwise', () => {
    sut.store(snap('f', 4));
    expect(sut.revisionOf('f')).toBe(4);
    expect(sut.noteRevision('f', 4)).toBe(false);
    expect(sut.peek('f')?.revision).toBe(4);
    expect(sut.peekStale('never')).toBeUndefined();
    expect(sut.revisionOf('never')).toBeUndefined();
  });

  it('forgets an archived flag unless a newer revision brought it back', () => {
    sut.store(snap('f', 3));
    sut.forget('f', 4);
    expect(sut.peek('f')).toBeUndefined();
    expect(sut.peekStale('f')).toBeUndefined();
    expect(sut.revisionOf('f')).toBeUndefined();
    expect(sut.maxRevision).toBe(4); // the list changed
    sut.store(snap('g', 7));
    sut.forget('g', 6); // a late message of an older archive
    expect(sut.peek('g')?.revision).toBe(7);
    sut.forget('g', 7);
    expect(sut.revisionOf('g')).toBeUndefined();
    expect(sut.maxRevision).toBe(7);
    sut.noteRevision('h', 2);
    sut.forget('h', 1);
    expect(sut.maxRevision).toBe(7);
  });

  it('recomputes the highest revision when one is corrected downwards, and ignores a no-op', () => {
    sut.noteRevision('a', 10);
    sut.noteRevision('b', 999);
    expect(sut.maxRevision).toBe(999);
    sut.correctRevision('b', 8);
    expect(sut.maxRevision).toBe(10);
    expect(sut.revisionOf('b')).toBe(8);
    sut.correctRevision('a', 10);
    expect(sut.maxRevision).toBe(10);
  });

  it('reports its size, bound, known flags and a copy of the revisions', () => {
    expect(sut.max).toBe(3);
    sut.store(snap('a', 1));
    sut.noteRevision('b', 2);
    expect(sut.size).toBe(1);
    expect(sut.knownFlags).toBe(2);
    const copy = sut.revisionsCopy();
    expect([...copy]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    copy.set('a', 50);
    expect(sut.revisionOf('a')).toBe(1);
    sut.clear();
    expect(sut.size).toBe(0);
    expect(sut.knownFlags).toBe(2); // revisions stay
  });

  it('restarts the TTL when the same revision is loaded again', () => {
    sut.store(snap('f', 1));
    now += 9_000;
    sut.store(snap('f', 1, 60));
    now += 5_000;
    expect(sut.peek('f')?.rolloutPercentage).toBe(60);
  });

  it('keeps the list generation an archive raised when a correction changes nothing', () => {
    sut.noteRevision('a', 5);
    sut.forget('b', 9);
    expect(sut.maxRevision).toBe(9);
    sut.correctRevision('a', 5);
    expect(sut.maxRevision).toBe(9);
  });

  it('reads a stale snapshot without making it recently used', () => {
    for (const n of ['a', 'b', 'c']) sut.store(snap(n, 1));
    expect(sut.peekStale('a')?.name).toBe('a');
    sut.store(snap('d', 1));
    expect(sut.peekStale('a')).toBeUndefined();
    expect(sut.peekStale('b')?.name).toBe('b');
  });
});
