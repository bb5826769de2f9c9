import * as reference from 'murmurhash3js';
import { hashPrefix, murmur3, murmur3Pair, murmur3Resumed } from './murmur3';

// Published vectors: MurmurHash3 x86_32, seed 0, over the UTF-8 bytes of the text.
// Checked against `murmurhash3js` (the implementation inside Unleash's Node SDK), an independent implementation.
const VECTORS: Array<[string, number]> = [
  ['', 0],
  ['a', 1009084850],
  ['abcd', 1139631978],
  ['new_checkout_flow:user123', 1630098448],
  ['beta_features:user-42', 2264955490],
  ['experimental_api:alice@example.com', 3849360525],
];

/** The UTF-8 bytes as a latin1 string: what murmurhash3js must see to hash bytes, not code units. */
const asBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('murmur3', () => {
  it.each(VECTORS)('hashes %j to %d', (text, expected) => {
    expect(murmur3(text)).toBe(expected);
    expect(reference.x86.hash32(text, 0)).toBe(expected);
  });

  it('agrees with the reference on 10,000 ASCII strings of every tail length', () => {
    const texts = Array.from(
      { length: 10_000 },
      (_, i) => `flag_${i % 7}:user-${i.toString(36).repeat(1 + (i % 5))}`,
    );
    const differing = texts.filter((s) => murmur3(s) !== reference.x86.hash32(s, 0));
    expect(differing).toEqual([]);
  });

  it('hashes UTF-8 bytes for non-ASCII ids (where murmurhash3js on code units would differ)', () => {
    for (const s of ['dark_mode:ü', 'flag:用户', 'flag:🙂', 'x:çàé']) {
      expect(murmur3(s)).toBe(reference.x86.hash32(asBytes(s), 0));
    }
  });

  it('murmur3Pair equals murmur3 of the joined key, short and long', () => {
    const long = 'u'.repeat(5000);
    for (const [a, b] of [
      ['new_checkout_flow', 'user123'],
      ['f', 'ü🙂'],
      ['f', long],
    ]) {
      expect(murmur3Pair(a, b)).toBe(murmur3(`${a}:${b}`));
    }
  });

  it('murmur3Resumed from a held prefix equals murmur3 of the joined key, for each seed', () => {
    const long = 'u'.repeat(5000);
    for (const seed of [0, 86028157])
      for (const a of ['f', 'fl', 'fla', 'flag', 'new_checkout_flow'])
        for (const b of ['', 'user123', 'ü🙂', long])
          expect(murmur3Resumed(hashPrefix(a, seed), b)).toBe(murmur3(`${a}:${b}`, seed));
  });
});

describe('murmur3Pair, resuming from a flag name’s hashed prefix', () => {
  // Every prefix length mod 4 (the 0–3 bytes carried over), users of every tail length, ASCII
  // and not, both seeds the product uses, and the same user across many flags (its bytes are
  // encoded once) interleaved with others.
  const names = [
    'f',
    'ab',
    'abc',
    'abcd',
    'new_checkout_flow',
    'bench_ofrep_001',
    'ü',
    'flag:用户',
  ];
  const users = [
    '',
    'u',
    'u1',
    'u12',
    'u123',
    'user-1234',
    'ü',
    'x🙂y',
    'user-7',
    'a'.repeat(1500),
  ];

  it.each([0, 86028157])('equals murmur3 of the joined key, seed %d', (seed) => {
    const differing: string[] = [];
    for (const user of users)
      for (const name of names) {
        if (murmur3Pair(name, user, seed) !== murmur3(`${name}:${user}`, seed))
          differing.push(`${name}:${user}`);
        // Another user in between: the next call must not reuse this one's bytes.
        if (murmur3Pair(name, 'other', seed) !== murmur3(`${name}:other`, seed))
          differing.push(`${name}:other`);
      }
    expect(differing).toEqual([]);
  });

  it('agrees with the reference for 100 flags and 1,000 users, in turn', () => {
    let differing = 0;
    for (let u = 0; u < 1000; u++)
      for (let f = 0; f < 100; f++) {
        const key = `flag_${f}:user-${u}`;
        if (murmur3Pair(`flag_${f}`, `user-${u}`) !== reference.x86.hash32(key, 0)) differing++;
      }
    expect(differing).toBe(0);
  });
});
