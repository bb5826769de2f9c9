// @ts-check
// Quantiles and counters over the values a scenario collected.

/**
 * @typedef {import('./types').Quantiles} Quantiles
 * @typedef {import('./types').CacheStats} CacheStats
 * @typedef {import('./types').HitRate} HitRate
 */

/**
 * @param {Iterable<number>} values
 * @returns {Quantiles}
 */
export function quantiles(values) {
  const v = [...values].sort((a, b) => a - b);
  /** @param {number} q */
  const at = (q) =>
    v.length === 0 ? null : v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  return { count: v.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: v.at(-1) ?? null };
}

/**
 * The middle value (the upper one of an even count) of the finite ones, or null.
 * @param {number[]} xs
 */
export function median(xs) {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : null;
}

/**
 * Hits and misses over `layers` between two GET /cache/stats.
 * @param {CacheStats} before
 * @param {CacheStats} after
 * @param {string[]} layers
 * @returns {HitRate}
 */
export function hitRate(before, after, layers) {
  let hits = 0;
  let misses = 0;
  for (const layer of layers) {
    hits += after.layers[layer].hits - before.layers[layer].hits;
    misses += after.layers[layer].misses - before.layers[layer].misses;
  }
  return { hits, misses, rate: hits + misses === 0 ? null : hits / (hits + misses) };
}
