import type { Page } from '@playwright/test';
import { ADMIN_SECRET, expect, signIn, test, uniqueName } from './fixtures';

// Live updates through the change stream (GET /events). While the stream is open the flag views
// do not poll at all (apps/console/src/live/live.tsx), so a change that shows up here came
// through the stream: the tests check that no poll happened rather than timing the update (a
// shared machine makes latency assertions flaky; `npm run bench` measures it).

/** Waits until the console says its change stream is open. */
async function streamOpen(page: Page) {
  await expect(page.locator('[data-stream]')).toHaveAttribute('data-stream', 'open');
}

/** Counts the page's reads of one path, from now on. */
function reads(page: Page, path: RegExp) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && path.test(new URL(r.url()).pathname)) seen.push(r.url());
  });
  return seen;
}

test('the list shows a change made over the REST API as it happens, through the stream', async ({
  page,
  api,
}) => {
  const name = uniqueName('live');
  await api.put(name, { enabled: true, rollout_percentage: 10 });
  await signIn(page, ADMIN_SECRET);
  await page.getByLabel('Search by name').fill(name);
  const row = page.locator('table.flags tbody tr', { hasText: name });
  await expect(row).toContainText('10%');
  await streamOpen(page);
  const listReads = reads(page, /^\/flags$/);

  await api.put(name, { rollout_percentage: 70 }); // another client
  await expect(row).toContainText('70%');
  await expect(row).toContainText('ops'); // who changed it, from the list itself
  // One refetch, caused by the change's event: no polling while the stream is open.
  expect(listReads).toHaveLength(1);
  expect((await api.flag(name)).flag_data.rollout_percentage).toBe(70);
});

test('an edited flag page keeps the draft and says the flag changed, through the stream', async ({
  page,
  api,
}) => {
  const name = uniqueName('livedraft');
  await api.put(name, { enabled: true, rollout_percentage: 20 });
  await signIn(page, ADMIN_SECRET);
  await page.goto(`/ui/#/flags/${name}`);
  await page.getByLabel('Rollout (% of users)').fill('25');
  await streamOpen(page);
  const flagReads = reads(page, new RegExp(`^/flags/${name}$`));

  await api.put(name, { rollout_percentage: 80 }); // another admin
  await expect(page.getByText('Someone changed this flag while you were editing it')).toBeVisible();
  await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('25');
  expect(flagReads).toHaveLength(1);
  await page.getByRole('button', { name: 'Discard my changes and load theirs' }).click();
  await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('80');
  expect((await api.flag(name)).flag_data.rollout_percentage).toBe(80);
});

test('the history shows a change as it happens, through the stream', async ({ page, api }) => {
  const name = uniqueName('livehistory');
  await api.put(name, { enabled: true, rollout_percentage: 20 });
  await signIn(page, ADMIN_SECRET);
  await page.goto(`/ui/#/flags/${name}/history`);
  const entries = page.locator('.history .entry');
  await expect(entries).toHaveCount(1);
  await streamOpen(page);

  await api.put(name, { rollout_percentage: 60 });
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('60');
  expect((await api.history(name)).entries).toHaveLength(2);
});
