import { findUnstorableString } from './storable';

describe(findUnstorableString.name, () => {
  it.each<[string, unknown, string | null]>([
    ['a clean object', { a: 'x', b: [1, 'y', { c: 'z' }], d: null, e: true }, null],
    ['U+0000 in a string', { a: 'ok', b: 'x\u0000y' }, 'metadata.b'],
    ['a lone high surrogate', ['fine', 'x\ud800'], 'metadata[1]'],
    ['a lone low surrogate, nested', { a: { b: [{ c: '\udc00' }] } }, 'metadata.a.b[0].c'],
    ['U+0000 in a key', { ['k\u0000']: 1 }, 'metadata["k\\u0000"]'],
    ['a lone surrogate in a key', { x: { ['\ud83d']: 'v' } }, 'metadata.x["\\ud83d"]'],
    ['the first in document order', { a: ['x\u0000'], ['b\u0000']: 1 }, 'metadata.a[0]'],
    ['a top-level string', 'x\u0000', 'metadata'],
  ])('%s', (_, value, field) => {
    expect(findUnstorableString(value, 'metadata')?.field ?? null).toBe(field);
  });

  it('accepts a well-formed surrogate pair', () => {
    expect(findUnstorableString({ emoji: '🙂' }, 'metadata')).toBeNull();
  });

  it('walks a structure nested deeper than the call stack allows', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const error = findUnstorableString(deep, 'metadata');
    expect(error?.field.startsWith('metadata[0][0]')).toBe(true);
    expect(error?.message).toContain('U+0000');
  });
});
