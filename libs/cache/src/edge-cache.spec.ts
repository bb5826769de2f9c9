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
});
