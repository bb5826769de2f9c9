// @ts-check
// The rollout rule, written independently of the app (libs/rollout) so the benchmark can check the
// app's answers: bucket = murmur3_x86_32(UTF-8 bytes of `${flag}:${user}`, seed 0) % 100 + 1;
// on iff enabled && bucket <= percentage (0% nobody, 100% everybody).
import { parseJson } from './lib/untyped.mjs';

/**
 * MurmurHash3 x86 32-bit of a byte buffer.
 * @param {Uint8Array} bytes
 */
export function murmur3(bytes, seed = 0) {
  const C1 = 0xcc9e2d51;
  const C2 = 0x1b873593;
  const len = bytes.length;
  const blocks = len & ~3;
  let h1 = seed | 0;
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

/**
 * @param {import('./lib/types').FlagRule} flag
 * @param {string} name
 * @param {string | null | undefined} userId
 */
export function isEnabledFor(flag, name, userId) {
  if (!flag.enabled || flag.rollout_percentage <= 0) return false;
  if (flag.rollout_percentage >= 100) return true;
  if (userId === undefined || userId === null || userId === '') return false;
  const bucket = (murmur3(Buffer.from(`${name}:${userId}`, 'utf8')) % 100) + 1;
  return bucket <= flag.rollout_percentage;
}

/**
 * The flags the two reference servers answer: the seed, or BASELINE_FLAGS ({name: {enabled, rollout_percentage}}).
 * @returns {Map<string, import('./lib/types').FlagRule>}
 */
export function referenceFlags(env = process.env) {
  const seed = {
    new_checkout_flow: { enabled: true, rollout_percentage: 50 },
    beta_features: { enabled: true, rollout_percentage: 10 },
    dark_mode: { enabled: false, rollout_percentage: 0 },
    experimental_api: { enabled: true, rollout_percentage: 25 },
  };
  const flags = env.BASELINE_FLAGS
    ? /** @type {import('./lib/types').FlagTable} */ (parseJson(env.BASELINE_FLAGS))
    : seed;
  return new Map(Object.entries(flags));
}
