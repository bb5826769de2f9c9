/**
 * MurmurHash3 x86 32-bit over UTF-8 bytes.
 *
 * Written here rather than taken from `murmurhash3js` (which Unleash's Node SDK uses) because
 * that package hashes `charCodeAt(i) & 0xff`, i.e. not UTF-8, and allocates a string per call;
 * on ASCII input both agree (cross-checked in murmur3.spec.ts). UTF-8 is what Unleash's other
 * SDKs and its Rust engine hash, so non-ASCII user ids land in the same bucket there too.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

export function murmur3Bytes(bytes: Uint8Array, len: number, seed = 0): number {
  let h1 = seed | 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k1 = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k1 = 0;
    if (tail === 3) k1 ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k1 ^= bytes[blocks + 1] << 8;
    k1 ^= bytes[blocks];
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
  }
  h1 ^= len;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

// One reusable buffer: the hot path encodes into it instead of allocating a key string and a
// Buffer per check. Safe because the hash runs synchronously to completion (single thread).
const scratch = Buffer.allocUnsafe(4096);

/** Copies an ASCII string into scratch at `at`; returns the end offset, or -1 at the first non-ASCII unit. */
function writeAscii(text: string, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return -1;
    scratch[at + i] = code;
  }
  return at + text.length;
}

/** murmur3 of the UTF-8 bytes of `${a}:${b}`, without building that string. */
export function murmur3Pair(a: string, b: string, seed = 0): number {
  // 3 bytes per UTF-16 unit is the worst case of UTF-8 encoding.
  if ((a.length + b.length) * 3 + 1 > scratch.length) {
    const buf = Buffer.from(`${a}:${b}`, 'utf8');
    return murmur3Bytes(buf, buf.length, seed);
  }
  // ASCII ids (the common case) are copied in plain JavaScript, several times faster than a
  // call into Node's UTF-8 encoder; anything else is encoded by Node.
  const colon = writeAscii(a, 0);
  if (colon >= 0) {
    scratch[colon] = 0x3a; // ':'
    const end = writeAscii(b, colon + 1);
    if (end >= 0) return murmur3Bytes(scratch, end, seed);
  }
  let n = scratch.write(a, 0, 'utf8');
  scratch[n++] = 0x3a;
  n += scratch.write(b, n, 'utf8');
  return murmur3Bytes(scratch, n, seed);
}

export function murmur3(text: string, seed = 0): number {
  const buf = Buffer.from(text, 'utf8');
  return murmur3Bytes(buf, buf.length, seed);
}
