import { findTooDeep, findUnstorableString } from './json-values';

describe(findUnstorableString.name, () => {
  it.each([
    [{ owner: 'pay\u0000ments' }, 'metadata.owner'],
    [{ owner: '\ud800' }, 'metadata.owner'],
    [{ owner: 'ok', tail: 'x\udc00' }, 'metadata.tail'],
    [{ tags: ['a', 'b', '\u0000'] }, 'metadata.tags[2]'],
    [{ deep: { er: [{ k: '\udbff!' }] } }, 'metadata.deep.er[0].k'],
    [{ 'a\u0000b': 1 }, 'metadata.a\u0000b'],
    [{ '\ud800': 'x' }, 'metadata.\ud800'],
  ])('finds the unstorable string in %j at %s', (value, path) => {
    expect(findUnstorableString(value, 'metadata')).toBe(path);
  });

  it('names the first one in document order', () => {
    expect(findUnstorableString({ a: ['ok', '\u0000'], b: '\u0000' }, '')).toBe('a[1]');
  });

  it.each([
    [{ emoji: '😀', accents: 'é', cjk: '漢字', nested: [{ '😀': null }], n: 1, t: true }],
    ['plain'],
    [null],
    [[]],
    [42],
  ])('accepts %j', (value) => {
    expect(findUnstorableString(value, 'metadata')).toBeUndefined();
  });

  it('walks deep values without recursion', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableString(deep, 'x')).toMatch(/^x(\[0\]){100000}$/);
  });
});

describe(findTooDeep.name, () => {
  const nest = (levels: number, leaf: unknown = 1) => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };

  it('accepts a document exactly as deep as the limit', () => {
    expect(findTooDeep(nest(32), 32)).toBeUndefined();
    expect(findTooDeep(nest(31, []), 32)).toBeUndefined();
  });

  it('names the first container past the limit', () => {
    expect(findTooDeep(nest(33), 32)).toBe('a.'.repeat(32).slice(0, -1));
    expect(findTooDeep({ metadata: nest(31, [[]]) }, 32)).toBe(`metadata${'.a'.repeat(31)}`);
  });

  it('handles 100,000 levels without recursion', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findTooDeep(deep, 32, 'body')).toBe(`body${'[0]'.repeat(32)}`);
  });

  it('counts only containers, not scalars, as levels', () => {
    expect(findTooDeep(nest(32, 'leaf'), 32)).toBeUndefined();
    expect(findTooDeep([1, 'x', null, true], 1)).toBeUndefined();
  });
});
