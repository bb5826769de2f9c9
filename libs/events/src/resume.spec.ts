import type { ChangeRecord } from '@app/cache';
import { Resume } from './resume';

const c = (flag: string, revision: number): ChangeRecord => ({
  flag,
  revision,
  action: 'update',
  actor: 'a',
  at: new Date(0).toISOString(),
});

function resume(after: number) {
  const sent: number[] = [];
  const sut = new Resume(after, (change) => sent.push(change.revision));
  return { sut, sent };
}

describe(Resume.name, () => {
  it('sends the replay, then what arrived live meanwhile, then live changes straight away', () => {
    const { sut, sent } = resume(10);
    sut.live(c('b', 14)); // committed after the replay query started: not in the replay
    sut.replay(c('a', 11));
    sut.replay(c('b', 12));
    expect(sent).toEqual([11, 12]);
    sut.finish();
    expect(sent).toEqual([11, 12, 14]);
    sut.live(c('a', 15));
    expect(sent).toEqual([11, 12, 14, 15]);
  });

  it('drops a live change the replay already had (no duplicate across the switch)', () => {
    const { sut, sent } = resume(10);
    sut.live(c('a', 11)); // announced while the replay ran, and committed before its query
    sut.replay(c('a', 11));
    sut.replay(c('b', 13));
    sut.finish();
    sut.live(c('b', 13)); // learnt late (from the revision poll), after the replay had it
    sut.live(c('b', 12)); // older than a replayed change of its flag: it was replayed too
    expect(sent).toEqual([11, 13]);
  });

  it('never sends what the client had (Last-Event-ID and before)', () => {
    const { sut, sent } = resume(10);
    sut.replay(c('a', 9));
    sut.live(c('a', 10));
    sut.finish();
    sut.live(c('b', 10));
    expect(sent).toEqual([]);
  });

  it('a fresh stream (nothing to replay) passes live changes on in order once finished', () => {
    const { sut, sent } = resume(0);
    sut.finish();
    for (const r of [3, 5, 4]) sut.live(c(`f${r}`, r)); // different flags may commit out of order
    expect(sent).toEqual([3, 5, 4]);
  });
});
