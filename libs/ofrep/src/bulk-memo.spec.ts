import { MemoCounter } from '@app/cache';
import type { EvaluationContext, FlagDefinition } from '@app/flag-model';
import { condition, flagDef, rule } from '../../flag-model/src/testing';
import { OfrepBulkMemo } from './bulk-memo';
import { bulkBody, bulkBodyBytes, bulkBodyTail, ofrepBulk, ofrepSuccess } from './ofrep.presenter';

const ctx = (userId: string | undefined, attributes: Record<string, string> = {}) =>
  ({ userId, attributes }) satisfies EvaluationContext;

/** A list as the reader hands it out: a new array whenever any flag changed. */
function list(revision = 1): FlagDefinition[] {
  return [
    flagDef({ name: 'half', rolloutPercentage: 50, revision, metadata: { owner: 'a' } }),
    flagDef({
      name: 'german',
      enabled: true,
      rules: [rule([condition('country', 'IN', ['DE'])])],
      rolloutPercentage: 0,
      revision: revision + 1,
    }),
    flagDef({ name: 'off', enabled: false, revision: revision + 2 }),
  ];
}

const answersOf = (json: string) => JSON.parse(json) as unknown[];

describe(OfrepBulkMemo.name, () => {
  it('serves the answers of every flag, the same as evaluating each', () => {
    const sut = new OfrepBulkMemo();
    const flags = list();
    const context = ctx('user-7', { country: 'DE' });
    const bulk = sut.evaluate(flags, context);
    expect(answersOf(bulk.answers)).toEqual(flags.map((f) => ofrepSuccess(f, context)));
    expect(JSON.parse(bulkBody(bulk))).toEqual({ flags: answersOf(bulk.answers) });
    expect(bulk.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('answers a context from memory from its third request on, with the same ETag', () => {
    const sut = new OfrepBulkMemo();
    const flags = list();
    const first = sut.evaluate(flags, ctx('u1', { country: 'DE' }));
    expect(sut.size).toBe(0); // seen once: not kept
    // An attribute no rule reads does not make another context.
    const second = sut.evaluate(flags, ctx('u1', { country: 'DE', plan: 'pro' }));
    expect(second).not.toBe(first);
    expect(second.etag).toBe(first.etag);
    expect(sut.size).toBe(1); // seen twice: kept
    const third = sut.evaluate(flags, ctx('u1', { country: 'DE' }));
    expect(third).toBe(second);
    expect(sut.hits).toBe(1);
    expect(sut.misses).toBe(2);
  });

  it('keeps its hits, misses and size in the counter it is given, emptied with a new list', () => {
    const counter = new MemoCounter();
    const sut = new OfrepBulkMemo(1 << 20, counter);
    expect(counter.maxBytes).toBe(1 << 20);
    const flags = list();
    for (let i = 0; i < 3; i++) sut.evaluate(flags, ctx('u1'));
    expect([counter.hits, counter.misses, counter.entries]).toEqual([1, 2, 1]);
    expect(counter.bytes).toBe(sut.heldChars);
    expect(counter.bytes).toBeGreaterThan(0);
    sut.evaluate(list(2), ctx('u1'));
    expect([counter.entries, counter.bytes]).toEqual([0, 0]);
    expect(JSON.parse(JSON.stringify(counter))).toEqual({
      hits: 1,
      misses: 3,
      hit_rate: 0.25,
      entries: 0,
      bytes: 0,
      max_bytes: 1 << 20,
    });
  });

  it('keeps nothing for contexts seen once, however many', () => {
    const sut = new OfrepBulkMemo();
    const flags = list();
    for (let i = 0; i < 1000; i++) sut.evaluate(flags, ctx(`once-${i}`));
    // A few may share a doorkeeper bit with an earlier one (and are kept early): 1,000 of 65,536.
    expect(sut.size).toBeLessThan(50);
    expect(sut.misses).toBe(1000);
  });

  it('gives contexts with different answers different ETags', () => {
    const sut = new OfrepBulkMemo();
    const flags = list();
    const de = sut.evaluate(flags, ctx('u1', { country: 'DE' }));
    const fr = sut.evaluate(flags, ctx('u1', { country: 'FR' }));
    expect(de.answers).not.toBe(fr.answers);
    expect(de.etag).not.toBe(fr.etag);
    const users = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6', 'user-7'];
    const etags = new Set(users.map((u) => sut.evaluate(flags, ctx(u)).etag));
    expect(etags.size).toBe(users.length);
  });

  it('never serves a memo of an older list: a changed flag is a new list, and its answer is seen', () => {
    const sut = new OfrepBulkMemo();
    const before = list(1);
    sut.evaluate(before, ctx('u1', { country: 'DE' }));
    const first = sut.evaluate(before, ctx('u1', { country: 'DE' }));
    const after = before.map((f) =>
      f.name === 'german' ? { ...f, enabled: false, revision: 10 } : f,
    );
    const second = sut.evaluate(after, ctx('u1', { country: 'DE' }));
    expect(second.etag).not.toBe(first.etag);
    expect(answersOf(second.answers)).toContainEqual(
      expect.objectContaining({ key: 'german', value: false, reason: 'DISABLED' }),
    );
    expect(sut.misses).toBe(3);
    // The new list starts over: its first request of u1 is not kept.
    expect(sut.size).toBe(0);
    expect(sut.evaluate(after, ctx('u1', { country: 'DE' })).etag).toBe(second.etag);
    expect(sut.size).toBe(1);
  });

  it('tells the ETag of a context without evaluating, the same as evaluating gives', () => {
    const sut = new OfrepBulkMemo();
    const flags = list();
    const context = ctx('u1', { country: 'DE' });
    const etag = sut.etagOf(flags, context);
    expect(sut.misses + sut.hits).toBe(0);
    expect(sut.evaluate(flags, context).etag).toBe(etag);
    expect(sut.etagOf(flags, ctx('u1', { country: 'FR' }))).not.toBe(etag);
  });

  it('gives two instances holding the same flags the same ETag for a context', () => {
    const a = new OfrepBulkMemo().evaluate(list(), ctx('u1', { country: 'DE' }));
    const b = new OfrepBulkMemo().evaluate(list(), ctx('u1', { country: 'DE' }));
    expect(b.etag).toBe(a.etag);
    expect(b.answers).toBe(a.answers);
  });

  it('digests long and non-ASCII contexts: the same context the same ETag, any other another', () => {
    const sut = new OfrepBulkMemo();
    const flags = [
      flagDef({ name: 'noted', rules: [rule([condition('note', 'STR_CONTAINS', ['ü'])])] }),
    ];
    // Keys past the encoding buffer (16 KB) and keys with multi-byte characters.
    const notes = ['ü'.repeat(6000), `${'ü'.repeat(5999)}v`, 'ü', 'u', '用户', '🙂'];
    const etags = notes.map((note) => sut.evaluate(flags, ctx('u1', { note })).etag);
    expect(new Set(etags).size).toBe(notes.length);
    expect(notes.map((note) => sut.etagOf(flags, ctx('u1', { note })))).toEqual(etags);
    expect(new OfrepBulkMemo().evaluate(flags, ctx('u1', { note: notes[0] })).etag).toBe(etags[0]);
  });

  it('stays within its bound, dropping the least recently used contexts', () => {
    const flags = list();
    const one = ofrepBulk(flags, ctx('user-0')).answers.length;
    const sut = new OfrepBulkMemo(one * 10);
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 100; i++) sut.evaluate(flags, ctx(`user-${i}`));
    expect(sut.heldChars).toBeLessThanOrEqual(one * 10);
    expect(sut.size).toBeGreaterThan(0);
    expect(sut.size).toBeLessThan(10);
    sut.evaluate(flags, ctx('user-99'));
    expect(sut.hits).toBe(1);
    sut.evaluate(flags, ctx('user-0'));
    expect(sut.hits).toBe(1);
  });

  it('does not memoise a list with a flag that reads the clock, and takes the ETag from the answers', () => {
    const sut = new OfrepBulkMemo();
    const dated = (after: string) =>
      flagDef({
        name: 'launch',
        rules: [rule([condition('currentTime', 'DATE_AFTER', [after])])],
        rolloutPercentage: 0,
      });
    const flags = [dated('2020-01-01T00:00:00Z')];
    const first = sut.evaluate(flags, ctx('u1'));
    expect(answersOf(first.answers)).toEqual([expect.objectContaining({ value: true })]);
    expect(sut.evaluate(flags, ctx('u1'))).not.toBe(first);
    expect(sut.size).toBe(0);
    expect(first.etag).toBe(ofrepBulk(flags, ctx('u1')).etag);
    expect(sut.etagOf(flags, ctx('u1'))).toBe(first.etag);
  });
});

describe(ofrepBulk.name, () => {
  it('serialises exactly as JSON.stringify of each flag’s answer', () => {
    const flags = list();
    for (const context of [ctx('user-7'), ctx(undefined), ctx('u1', { country: 'DE' })]) {
      const { answers } = ofrepBulk(flags, context);
      expect(answers).toBe(JSON.stringify(flags.map((f) => ofrepSuccess(f, context))));
    }
  });

  it('puts fields that are not answers beside flags', () => {
    const bulk = ofrepBulk(list(), ctx('u1'));
    const streams = [{ type: 'sse', url: '/events' }];
    expect(JSON.parse(bulkBody(bulk, streams))).toEqual({
      flags: answersOf(bulk.answers),
      eventStreams: streams,
    });
  });
});

describe(bulkBodyBytes.name, () => {
  const streams = [{ type: 'sse', endpoint: { requestUri: '/events/ofrep?token=t1' } }];
  const later = [{ type: 'sse', endpoint: { requestUri: '/events/ofrep?token=t2' } }];

  it('sends a memoised body made for the same streams as it is, with no copy', () => {
    const bulk = new OfrepBulkMemo().evaluate(list(), ctx('u1'), bulkBodyTail(streams));
    expect(bulkBodyBytes(bulk, streams)).toBe(bulk.body);
    expect(JSON.parse(bulk.body.toString('utf8'))).toEqual({
      flags: answersOf(bulk.answers),
      eventStreams: streams,
    });
  });

  it('re-frames the answers of a body made for other streams (a new stream token)', () => {
    const sut = new OfrepBulkMemo();
    const first = sut.evaluate(list(), ctx('u1'), bulkBodyTail(streams));
    const again = sut.evaluate(list(), ctx('u1'), bulkBodyTail(later));
    const body = bulkBodyBytes(again, later);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      flags: answersOf(first.answers),
      eventStreams: later,
    });
    expect(JSON.parse(bulkBody(again))).toEqual({ flags: answersOf(first.answers) });
  });
});
