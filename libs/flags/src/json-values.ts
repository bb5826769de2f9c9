/**
 * Checks over parsed JSON documents (request bodies, metadata). Each walks with an explicit
 * stack, never recursion, so no document, however deep, can overflow the call stack.
 */

/**
 * Characters PostgreSQL cannot store in text or jsonb: NUL, and UTF-16 surrogates that are not
 * part of a pair (JSON may spell them, `"\ud800"`, but they are not Unicode text). With the `u`
 * flag a well-formed pair is one code point, so `\p{Cs}` matches only a lone surrogate.
 */
const UNSTORABLE = /[\0\p{Cs}]/u;

const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

interface Test {
  /** `depth` is 1 for the root, 2 for its children, and so on. */
  value?: (value: unknown, depth: number) => boolean;
  key?: (key: string) => boolean;
}

/** The path of the first value (or object key), in document order, that fails `test`. */
function findPath(root: unknown, rootPath: string, test: Test): string | undefined {
  const stack: Array<[unknown, string, number]> = [[root, rootPath, 1]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop() as [unknown, string, number];
    if (test.value?.(value, depth)) return path;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], child(path, i), depth + 1]);
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (test.key !== undefined)
        for (const key of keys) if (test.key(key)) return child(path, key);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        stack.push([(value as Record<string, unknown>)[key], child(path, key), depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * The path of the first string (value or object key) in `value` that PostgreSQL cannot store,
 * e.g. `metadata.owner` or `metadata.tags[2]` when called with path `metadata`; undefined when
 * every string is storable.
 */
export function findUnstorableString(value: unknown, path: string): string | undefined {
  return findPath(value, path, {
    value: (v) => typeof v === 'string' && UNSTORABLE.test(v),
    key: (k) => UNSTORABLE.test(k),
  });
}

/** The path of the first array or object nested deeper than `maxDepth` (the root is depth 1). */
export function findTooDeep(value: unknown, maxDepth: number, path = ''): string | undefined {
  return findPath(value, path, {
    value: (v, depth) => depth > maxDepth && typeof v === 'object' && v !== null,
  });
}
