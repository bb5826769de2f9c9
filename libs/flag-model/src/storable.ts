/** A part of a definition that cannot be accepted, named by its wire path. */
export interface DefinitionError {
  field: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a member: `parent.key`, or `parent["odd key"]` when the key is not an identifier. */
export function memberPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

// String.prototype.isWellFormed (Node 20+) is not in the ES2023 lib this project compiles against.
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Why PostgreSQL would refuse the string (text and jsonb alike), or undefined when it can store it. */
export function unstorableReason(s: string): string | undefined {
  if (s.includes('\u0000')) return 'U+0000';
  if (!isWellFormed(s)) return 'a lone UTF-16 surrogate';
  return undefined;
}

/**
 * The first string or object key under `value`, in document order, that PostgreSQL cannot store
 * (U+0000, lone surrogates), or null. Walks with an explicit stack, so a deeply nested request
 * body cannot overflow the call stack; an object met twice is walked once.
 */
export function findUnstorableString(value: unknown, path: string): DefinitionError | null {
  // [value, its path, the key it sits under (checked when the value's turn comes)]
  const stack: Array<[unknown, string, string?]> = [[value, path]];
  const seen = new Set<object>();
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, at, key] = item;
    const keyReason = key === undefined ? undefined : unstorableReason(key);
    if (keyReason) {
      return { field: at, message: `${at}: the key contains ${keyReason}, which cannot be stored` };
    }
    if (typeof node === 'string') {
      const reason = unstorableReason(node);
      if (reason) return { field: at, message: `${at} contains ${reason}, which cannot be stored` };
      continue;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const children: Array<[unknown, string, string?]> = Array.isArray(node)
      ? node.map((child, i) => [child, `${at}[${i}]`])
      : Object.entries(node).map(([k, child]) => [child, memberPath(at, k), k]);
    // Reversed onto the stack so the first child is walked first (document order).
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}
