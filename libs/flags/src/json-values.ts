/**
 * Checks over parsed JSON documents (request bodies). They walk with an explicit stack, never
 * recursion, so no document, however deep, can overflow the call stack. (Strings PostgreSQL
 * cannot store are found by the flag model's findUnstorableString.)
 */

const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

interface Test {
  /** `depth` is 1 for the root, 2 for its children, and so on. */
  value?: (value: unknown, depth: number) => boolean;
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
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        stack.push([(value as Record<string, unknown>)[key], child(path, key), depth + 1]);
      }
    }
  }
  return undefined;
}

/** The path of the first array or object nested deeper than `maxDepth` (the root is depth 1). */
export function findTooDeep(value: unknown, maxDepth: number, path = ''): string | undefined {
  return findPath(value, path, {
    value: (v, depth) => depth > maxDepth && typeof v === 'object' && v !== null,
  });
}
