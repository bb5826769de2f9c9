import type { FlagDefinition } from '../api/types';

type Change = { field: string; before?: unknown; after?: unknown };

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

/** The top-level fields that differ between two versions of a definition. */
export function changes(before: FlagDefinition | null, after: FlagDefinition | null): Change[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((field) => ({ field, before: b[field], after: a[field] }));
}

export function Diff({
  before,
  after,
}: {
  before: FlagDefinition | null;
  after: FlagDefinition | null;
}) {
  const list = changes(before, after);
  if (list.length === 0) return <p className="hint">No change to the definition.</p>;
  return (
    <table className="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {list.map((c) => (
          <tr key={c.field}>
            <th scope="row">{c.field}</th>
            <td>
              <del>
                <code>{show(c.before)}</code>
              </del>
            </td>
            <td>
              <ins>
                <code>{show(c.after)}</code>
              </ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
