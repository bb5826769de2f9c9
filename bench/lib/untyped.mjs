// @ts-check
// JSON.parse and require() typed `unknown` rather than `any`, so that each caller states what it
// expects (and typescript-eslint's no-unsafe-* rules hold).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * @param {string} text
 * @returns {unknown}
 */
export const parseJson = (text) => JSON.parse(text);

/**
 * A CommonJS module, or a file of one that its package does not export to ESM.
 * @param {string} id
 * @returns {unknown}
 */
export const requireUnknown = (id) => require(id);
