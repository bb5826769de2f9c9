import type { ChangeRecord } from '@app/cache';
import { changeMessage, parseLastEventId, refetchMessage } from './sse';

const change: ChangeRecord = {
  flag: 'dark_mode',
  revision: 42,
  action: 'update',
  actor: 'alice\nbob', // a line break must not end the data line
  at: '2026-11-27T20:00:01.500Z',
};

describe('the SSE wire format', () => {
  it('frames a change as id + one data line of JSON, default event type, blank line', () => {
    const text = changeMessage(change);
    expect(text).toBe(
      'id: 42\ndata: {"flag":"dark_mode","action":"update","revision":42,"actor":"alice\\nbob","at":"2026-11-27T20:00:01.500Z"}\n\n',
    );
    expect(text.split('\n').filter((l) => l.startsWith('event:'))).toEqual([]);
  });

  it("frames OFREP's refetchEvaluation with the revision as etag and Unix seconds, and no flag field", () => {
    const text = refetchMessage(change);
    const [id, data] = text.trimEnd().split('\n');
    expect(id).toBe('id: 42');
    const parsed = JSON.parse(data.slice('data: '.length)) as Record<string, unknown>;
    expect(parsed).toEqual({ type: 'refetchEvaluation', etag: '"42"', lastModified: 1795809601 });
    expect(parsed).not.toHaveProperty('flag');
  });

  it.each([
    [undefined, { after: undefined }],
    ['', { after: undefined }],
    ['0', { after: 0 }],
    ['1795809601', { after: 1795809601 }],
  ])('reads Last-Event-ID %p as %p', (value, expected) => {
    expect(parseLastEventId(value)).toEqual(expected);
  });

  it.each(['abc', '-1', '1.5', ' 1', '99999999999999999', '1e3'])(
    'refuses Last-Event-ID %p with a reason',
    (value) => {
      expect(parseLastEventId(value)).toEqual({
        error: expect.stringContaining('revision') as string,
      });
    },
  );
});
