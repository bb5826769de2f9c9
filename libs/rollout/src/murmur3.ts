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

/** The state after mixing in the whole 4-byte blocks of bytes[start, end) (end - start a multiple of 4). */
function mixBlocks(h1: number, bytes: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i += 4) {
    let k1 = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  return h1;
}

/** Mixes in the last 0–3 bytes at `at` and finalises for a total input of `len` bytes. */
function finish(h1: number, bytes: Uint8Array, at: number, tail: number, len: number): number {
  if (tail > 0) {
    let k1 = 0;
    if (tail === 3) k1 ^= bytes[at + 2] << 16;
    if (tail >= 2) k1 ^= bytes[at + 1] << 8;
    k1 ^= bytes[at];
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

export function murmur3Bytes(bytes: Uint8Array, len: number, seed = 0): number {
  const whole = len & ~3;
  return finish(mixBlocks(seed | 0, bytes, 0, whole), bytes, whole, len & 3, len);
}

export function murmur3(text: string, seed = 0): number {
  const buf = Buffer.from(text, 'utf8');
  return murmur3Bytes(buf, buf.length, seed);
}

/**
 * `${a}:` hashed as far as its whole blocks go: what every key of `a` (a flag name) starts
 * with. A bulk evaluation hashes "{flag}:{user}" for each of a hundred flags and one user, and
 * the flag name is most of each key; resuming from this state hashes only the user's bytes.
 */
export interface HashPrefix {
  /** `a` itself, for keys too long to resume (hashed whole). */
  readonly of: string;
  readonly seed: number;
  readonly state: number;
  /** The 0–3 bytes after the last whole block, mixed in with the user's bytes. */
  readonly rest: Uint8Array;
  /** Byte length of `${a}:`. */
  readonly length: number;
}

// Flag names are few (the prefixes of every flag take a few hundred KB at most); the bound only
// keeps arbitrary callers from growing the map without end: when full it starts over.
const MAX_PREFIXES = 20_000;
/** Per seed (the product uses two: bucket and variant split). */
const prefixCaches = new Map<number, Map<string, HashPrefix>>();

/**
 * The prefix state of `${a}:` for `seed`, cached per (a, seed). A caller that hashes many keys of
 * the same `a` (a bulk evaluation's flag) can hold it and call `murmur3Resumed` with no lookup.
 */
export function hashPrefix(a: string, seed = 0): HashPrefix {
  let cache = prefixCaches.get(seed);
  if (cache === undefined) {
    cache = new Map();
    prefixCaches.set(seed, cache);
  }
  let prefix = cache.get(a);
  if (prefix === undefined) {
    const bytes = Buffer.from(`${a}:`, 'utf8');
    const whole = bytes.length & ~3;
    prefix = {
      of: a,
      seed,
      state: mixBlocks(seed | 0, bytes, 0, whole),
      rest: Uint8Array.from(bytes.subarray(whole)),
      length: bytes.length,
    };
    if (cache.size >= MAX_PREFIXES) cache.clear();
    cache.set(a, prefix);
  }
  return prefix;
}

// One reusable buffer: the hot path encodes the user id into it instead of allocating a key
// string and a Buffer per check. Safe because the hash runs synchronously to completion (single
// thread). The user's bytes start at USER_AT, leaving room before them for a prefix's rest.
const scratch = Buffer.allocUnsafe(4096);
const USER_AT = 3;
// The user id whose bytes are in scratch now, and where they end: a bulk evaluation hashes the
// same user id with every flag, and encodes it once.
let encodedUser: string | undefined;
let encodedEnd = USER_AT;

/** Copies `b` into scratch at USER_AT as UTF-8; returns the end offset. */
function encodeUser(b: string): number {
  if (b === encodedUser) return encodedEnd;
  let end = USER_AT;
  for (let i = 0; i < b.length; i++) {
    const code = b.charCodeAt(i);
    if (code > 0x7f) {
      end = USER_AT + scratch.write(b, USER_AT, 'utf8');
      break;
    }
    scratch[end++] = code;
  }
  encodedUser = b;
  encodedEnd = end;
  return end;
}

/** murmur3 of the UTF-8 bytes of `${a}:${b}`, without building that string. */
export function murmur3Pair(a: string, b: string, seed = 0): number {
  return murmur3Resumed(hashPrefix(a, seed), b);
}

/** murmur3 of `${prefix.of}:${b}` with the prefix's seed, resuming from the prefix's state. */
export function murmur3Resumed(prefix: HashPrefix, b: string): number {
  if (b.length * 3 + USER_AT > scratch.length) return murmur3(`${prefix.of}:${b}`, prefix.seed);
  const end = encodeUser(b);
  const { rest } = prefix;
  const start = USER_AT - rest.length;
  for (let i = 0; i < rest.length; i++) scratch[start + i] = rest[i];
  const whole = start + ((end - start) & ~3);
  return finish(
    mixBlocks(prefix.state, scratch, start, whole),
    scratch,
    whole,
    (end - start) & 3,
    prefix.length + end - USER_AT,
  );
}
