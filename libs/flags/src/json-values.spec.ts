import { findTooDeep } from './json-values';

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
