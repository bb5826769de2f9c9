import * as reference from 'murmurhash3js';
import { murmur3, murmur3Pair } from './murmur3';

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
});
