// @ts-check
// Numbers as the printed tables and docs/benchmarks.md show them.

/** @param {number | null | undefined} x */
export const fmt = (x, digits = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits);

/** @param {number | null | undefined} x */
export const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)}%`);

/**
 * A quantile from the histogram: null when it falls in the +Inf bucket.
 * @param {number | null | undefined} x
 */
export const fmtMs = (x) =>
  x === null || x === undefined ? '> 5000' : x <= 0.1 ? `≤ 0.1 (${fmt(x, 3)})` : fmt(x, 3);
