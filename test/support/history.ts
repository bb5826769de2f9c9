import type { TestApp } from './test-app';

export interface HistoryEntryBody {
  id: string;
  action: 'create' | 'update' | 'restore' | 'archive';
  before: unknown;
  after: unknown;
}

/** Every history entry of a flag, oldest first (follows next_cursor); [] when the flag never existed. */
export async function fullHistory(t: TestApp, flag: string): Promise<HistoryEntryBody[]> {
  const entries: HistoryEntryBody[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.admin.get(`/flags/${flag}/history`).query({
      limit: 100,
      ...(cursor === null ? {} : { cursor }),
    });
    if (res.status === 404) return [];
    expect(res.status).toBe(200);
    const body = res.body as { entries: HistoryEntryBody[]; next_cursor: string | null };
    entries.push(...body.entries);
    cursor = body.next_cursor;
  } while (cursor !== null);
  return entries.reverse();
}

/**
 * The chain property: the first entry is a create from nothing, and every later entry's `before`
 * is the previous entry's `after` (a restore starts from nothing, after an archive).
 */
export function expectUnbrokenHistory(entries: HistoryEntryBody[]): void {
  expect(entries[0]).toMatchObject({ action: 'create', before: null });
  for (let i = 1; i < entries.length; i++) {
    expect({ index: i, before: entries[i].before }).toEqual({
      index: i,
      before: entries[i].action === 'restore' ? null : entries[i - 1].after,
    });
    if (entries[i].action === 'restore') expect(entries[i - 1].action).toBe('archive');
  }
}
