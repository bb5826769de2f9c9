import { mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import {
  ADMIN_SECRET,
  CLIENT_SECRET,
  expect,
  expectAccessible,
  signIn,
  storedToken,
  test,
  uniqueName,
} from './fixtures';

test.describe('sign-in', () => {
  test('an admin token signs in, kept in sessionStorage and never in the address', async ({
    page,
    api,
  }) => {
    await signIn(page, ADMIN_SECRET);
    await expect(page.getByText('admin · ops')).toBeVisible();
    expect(await storedToken(page)).toBe(ADMIN_SECRET);
    expect(page.url()).not.toContain(ADMIN_SECRET);
    const session = await api.json<{ role: string; name: string }>('/auth/session');
    expect(session).toMatchObject({ role: 'admin', name: 'ops' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByLabel('Token')).toBeVisible();
    expect(await storedToken(page)).toBeNull();
  });

  test('a wrong token gets a clear message and is not kept', async ({ page, request }) => {
    await page.goto('/ui/');
    await page.getByLabel('Token').fill('not-a-token-of-this-service');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('That token was refused')).toBeVisible();
    expect(await storedToken(page)).toBeNull();
    const response = await request.get('/auth/session', {
      headers: { authorization: 'Bearer not-a-token-of-this-service' },
    });
    expect(response.status()).toBe(401);
  });

  test('a client token gives a read-only console without edit controls', async ({ page, api }) => {
    const name = uniqueName('ro');
    await api.put(name, { enabled: true, rollout_percentage: 40 });
    await signIn(page, CLIENT_SECRET);
    await expect(page.getByText('read-only', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New flag' })).toHaveCount(0);
    await expect(page.getByRole('switch')).toHaveCount(0);
    await page.getByRole('link', { name }).click();
    await expect(page.getByText('Read-only: sign in with an admin token')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
    await expect(page.getByRole('textbox')).toHaveCount(0);
    // The server agrees: this token may not change flags.
    const refused = await page.request.post(`/flags/${name}/update`, {
      headers: { authorization: `Bearer ${CLIENT_SECRET}` },
      data: { enabled: false },
    });
    expect(refused.status()).toBe(401);
    expect((await api.flag(name)).flag_data.enabled).toBe(true);
  });
});

test.describe('flag list', () => {
  test('search by name and filter by state', async ({ page, api }) => {
    const prefix = uniqueName('list');
    await api.put(`${prefix}_on`, { enabled: true, rollout_percentage: 100 });
    await api.put(`${prefix}_partial`, { enabled: true, rollout_percentage: 30 });
    await api.put(`${prefix}_off`, { enabled: false, rollout_percentage: 0 });
    // Enabled, but at 0% with no rule: nobody gets it, so the list says off, not partial.
    await api.put(`${prefix}_zero`, { enabled: true, rollout_percentage: 0 });
    await signIn(page, ADMIN_SECRET);
    await page.getByLabel('Search by name').fill(prefix);
    const rows = page.locator('table.flags tbody tr');
    await expect(rows).toHaveCount(4);
    await page.getByLabel('State', { exact: true }).selectOption('off');
    await expect(rows).toHaveCount(2);
    await expect(page.locator('table.flags tbody')).toContainText(`${prefix}_off`);
    await expect(page.locator('table.flags tbody')).toContainText(`${prefix}_zero`);
    await page.getByLabel('State', { exact: true }).selectOption('partial');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('30%');
    await page.getByLabel('State', { exact: true }).selectOption('all');
    await page.getByLabel('Sort by').selectOption('rollout');
    await expect(rows.nth(0)).toContainText(`${prefix}_on`);
    await expect(rows.nth(1)).toContainText(`${prefix}_partial`);
    // The page shows what the API lists.
    const list = await api.json<{ flags: Array<{ flag_name: string }> }>('/flags');
    expect(list.flags.filter((f) => f.flag_name.startsWith(prefix))).toHaveLength(4);
    expect((await api.flag(`${prefix}_zero`)).flag_data).toMatchObject({
      enabled: true,
      rollout_percentage: 0,
    });
  });

  test('the archived filter lists archived flags; each row shows its last change from the list', async ({
    page,
    api,
  }) => {
    const prefix = uniqueName('arch');
    await api.put(`${prefix}_kept`, { enabled: true, rollout_percentage: 100 });
    await api.put(`${prefix}_gone`, { enabled: true, rollout_percentage: 40 });
    const archived = await page.request.delete(`/flags/${prefix}_gone`, {
      headers: { authorization: `Bearer ${ADMIN_SECRET}` },
    });
    expect(archived.status()).toBe(200);
    const historyReads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/history')) historyReads.push(r.url());
    });
    await signIn(page, ADMIN_SECRET);
    await page.getByLabel('Search by name').fill(prefix);
    const rows = page.locator('table.flags tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`${prefix}_kept`);
    await expect(rows.first().getByRole('cell').nth(3)).toContainText('ops,'); // who, then when
    expect(historyReads).toEqual([]); // the list carries the last change: no call per row

    await page.getByLabel('State', { exact: true }).selectOption('archived');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`${prefix}_gone`);
    await expect(rows.first()).toContainText('archived');
    await expect(rows.first()).toContainText('40%');
    // An archived flag opens on its history, where it can be restored.
    await rows
      .first()
      .getByRole('link', { name: `${prefix}_gone` })
      .click();
    await expect(page.getByRole('button', { name: /Restore/ })).toBeVisible();
    const list = await api.json<{ flags: Array<{ flag_name: string; updated_by: string }> }>(
      '/flags?archived=true',
    );
    expect(list.flags.find((f) => f.flag_name === `${prefix}_gone`)).toMatchObject({
      updated_by: 'ops',
    });
  });

  test('toggling asks for confirmation naming the flag, and cancel changes nothing', async ({
    page,
    api,
  }) => {
    const name = uniqueName('toggle');
    await api.put(name, { enabled: false, rollout_percentage: 100 });
    await signIn(page, ADMIN_SECRET);
    await page.getByLabel('Search by name').fill(name);
    const toggle = page.getByRole('switch', { name: `Enabled: ${name}` });
    // The switch's input is visually hidden; a pointer clicks its label.
    await toggle.locator('xpath=ancestor::label').click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toContainText(`Turn on ${name}?`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    expect((await api.flag(name)).flag_data.enabled).toBe(false);

    // Keyboard alone: focus the switch, Space opens the question, Enter on "Turn on" confirms.
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Turn on' }).focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toBeChecked();
    expect((await api.flag(name)).flag_data.enabled).toBe(true);
  });

  test('create a flag', async ({ page, api }) => {
    const name = uniqueName('new');
    await signIn(page, ADMIN_SECRET);
    await page.getByRole('button', { name: 'New flag' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill(name);
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    const flag = await api.flag(name);
    expect(flag.flag_data).toMatchObject({ enabled: false, rollout_percentage: 100 });
    expect((await api.history(name)).entries[0]).toMatchObject({ action: 'create', actor: 'ops' });
  });
});

test.describe('flag page', () => {
  test('edit the rollout with the number and the slider', async ({ page, api }) => {
    const name = uniqueName('rollout');
    await api.put(name, { enabled: true, rollout_percentage: 10 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    await page.getByLabel('Rollout (% of users)').fill('35');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/^Saved/)).toBeVisible();
    expect((await api.flag(name)).flag_data.rollout_percentage).toBe(35);

    await page.getByLabel('Rollout slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('37');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/^Saved/)).toBeVisible();
    expect((await api.flag(name)).flag_data.rollout_percentage).toBe(37);
  });

  test('invalid metadata JSON is refused before sending', async ({ page, api }) => {
    const name = uniqueName('json');
    await api.put(name, { enabled: true, metadata: { owner: 'web' } });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    const metadata = page.getByLabel('Metadata (a JSON object)');
    await metadata.fill('{"owner": "payments",');
    let posted = false;
    page.on('request', (r) => {
      if (r.method() === 'POST') posted = true;
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('[data-field="metadata"]')).toContainText('not valid JSON');
    await expect(metadata).toHaveAttribute('aria-invalid', 'true');
    expect(posted).toBe(false);
    expect((await api.flag(name)).flag_data.metadata).toEqual({ owner: 'web' });
  });

  test("the server's 400 is shown next to the field it names", async ({ page, api }) => {
    const name = uniqueName('bad');
    await api.put(name, { enabled: true, metadata: { owner: 'web' } });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    // Valid JSON, but over the server's 16 KiB limit: only the server can refuse it.
    const big = JSON.stringify({ blob: 'x'.repeat(17 * 1024) });
    await page.getByLabel('Metadata (a JSON object)').fill(big);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('[data-field="metadata"]')).toContainText('16384 bytes');
    await expect(page.getByLabel('Metadata (a JSON object)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect((await api.flag(name)).flag_data.metadata).toEqual({ owner: 'web' });
  });

  test('a change made elsewhere while editing is announced, not overwritten', async ({
    page,
    api,
  }) => {
    const name = uniqueName('moved');
    await api.put(name, { enabled: true, rollout_percentage: 20 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    await page.getByLabel('Rollout (% of users)').fill('25');
    await api.put(name, { enabled: true, rollout_percentage: 80 }); // another admin
    await expect(page.getByText('Someone changed this flag while you were editing it')).toBeVisible(
      {
        timeout: 15_000,
      },
    );
    await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('25');
    // Who changed it: the flag's updated_by, read with the flag.
    await expect(
      page.getByText(/while you were editing it \(now at revision \d+, by ops\)/),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Discard my changes and load theirs' }).click();
    await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('80');
    expect((await api.flag(name)).flag_data.rollout_percentage).toBe(80);
  });

  test('a save over a concurrent edit gets a 409 that shows the newer version', async ({
    page,
    api,
  }) => {
    const name = uniqueName('conflict');
    await api.put(name, { enabled: true, rollout_percentage: 20 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    await page.getByLabel('Rollout (% of users)').fill('25');
    const theirs = await api.put(name, { rollout_percentage: 80 }); // another admin, first
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'someone else changed this flag' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(`revision ${theirs.revision}`);
    await expect(alert).toContainText('"rollout_percentage": 80');
    expect((await api.flag(name)).flag_data.rollout_percentage).toBe(80);
    await alert.getByRole('button', { name: 'Load their version' }).click();
    await expect(page.getByLabel('Rollout (% of users)')).toHaveValue('80');
  });

  test('variants and rules: a 400 lands on the rule field it names, then the save', async ({
    page,
    api,
  }) => {
    const name = uniqueName('rules');
    await api.put(name, { enabled: true, rollout_percentage: 100 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    await page.getByLabel('Type', { exact: true }).selectOption('string');
    await page.getByRole('button', { name: 'Add variant' }).click();
    await page.getByRole('button', { name: 'Add variant' }).click();
    for (const [i, variant] of [
      ['1', 'blue'],
      ['2', 'green'],
    ]) {
      await page.getByLabel(`Variant ${i} name`).fill(variant);
      await page.getByLabel(`Variant ${i} value`).fill(variant.toUpperCase());
      await page.getByLabel(`Variant ${i} weight in percent`).fill('50');
    }
    await expect(page.getByText('Total: 100%')).toBeVisible();
    await page.getByLabel('Default variant (served when off)').selectOption('blue');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 condition 1 attribute').fill('app_version');
    await page.getByLabel('Rule 1 condition 1 operator').selectOption('SEMVER_GT');
    const values = page.getByLabel('Rule 1 condition 1 values');
    await values.fill('1.0.0, 2.0.0'); // one value only for SEMVER_GT: the server refuses it
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('[data-field="rules[0].conditions[0].values"]')).toContainText(
      'exactly one value',
    );
    await expect(values).toHaveAttribute('aria-invalid', 'true');
    expect((await api.flag(name)).flag_data).toMatchObject({ type: 'boolean', rules: [] });

    await values.fill('2.0.0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/^Saved/)).toBeVisible();
    const saved = (await api.flag(name)).flag_data as unknown as Record<string, unknown>;
    expect(saved).toMatchObject({
      type: 'string',
      default_variant: 'blue',
      variants: [
        { name: 'blue', value: 'BLUE', weight: 500 },
        { name: 'green', value: 'GREEN', weight: 500 },
      ],
      rules: [
        { conditions: [{ attribute: 'app_version', operator: 'SEMVER_GT', values: ['2.0.0'] }] },
      ],
    });
    const answer = await (await api.get(name, '?user_id=u1&app_version=3.1.0')).json();
    expect(answer.reason).toBe('TARGETING_MATCH');
  });

  test('evaluate a user', async ({ page, api }) => {
    const name = uniqueName('eval');
    await api.put(name, { enabled: true, rollout_percentage: 100 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}/evaluate`);
    await page.getByLabel('User id').fill('user-7');
    await page.getByLabel('Attribute 1 name').fill('country');
    await page.getByLabel('Attribute 1 value').fill('DE');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect(page.getByTestId('result-enabled')).toHaveText('yes');
    const answer = await (await api.get(name, '?user_id=user-7&country=DE')).json();
    expect(answer.enabled).toBe(true);
    await expect(page.getByTestId('result-value')).toHaveText(
      JSON.stringify(answer.value ?? answer.enabled),
    );
    if (answer.reason) await expect(page.getByTestId('result-reason')).toHaveText(answer.reason);
  });

  test('history shows each change as a diff with actor, newest first', async ({ page, api }) => {
    const name = uniqueName('hist');
    await api.put(name, { enabled: true, rollout_percentage: 10 });
    await api.put(name, { rollout_percentage: 60 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}/history`);
    const entries = page.locator('.history .entry');
    await expect(entries).toHaveCount(2);
    const newest = entries.first();
    await expect(newest).toContainText('update by ops');
    const row = newest.locator('tr', {
      has: page.locator('th', { hasText: 'rollout_percentage' }),
    });
    await expect(row.locator('del')).toHaveText('10');
    await expect(row.locator('ins')).toHaveText('60');
    await expect(entries.nth(1)).toContainText('create by ops');
    const history = await api.history(name);
    expect(history.entries.map((e) => e.action)).toEqual(['update', 'create']);
    expect(history.entries[0].before.rollout_percentage).toBe(10);
    expect(history.entries[0].after.rollout_percentage).toBe(60);
  });

  test('archive, then restore from the history', async ({ page, api }) => {
    const name = uniqueName('arch');
    await api.put(name, { enabled: true, rollout_percentage: 45 });
    await signIn(page, ADMIN_SECRET);
    await page.goto(`/ui/#/flags/${name}`);
    await page.getByRole('button', { name: 'Archive…' }).click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toContainText(`Archive ${name}?`);
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await expect(page.getByText(`There is no live flag called`)).toBeVisible();
    expect((await api.get(name)).status()).toBe(404);

    await page.getByRole('link', { name: 'history', exact: true }).click();
    await page.getByRole('button', { name: `Restore ${name}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Restore' }).click();
    await expect(page.locator('.history .entry').first()).toContainText('restore by ops');
    const restored = await api.flag(name);
    expect(restored.flag_data).toMatchObject({ enabled: true, rollout_percentage: 45 });
  });
});

test('cache and health panel', async ({ page, api }) => {
  await signIn(page, ADMIN_SECRET);
  await page.getByRole('link', { name: 'Cache & health' }).click();
  const health = await api.json<{ database: { status: string }; cache: { status: string } }>(
    '/health',
  );
  await expect(page.getByTestId('db-status')).toHaveText(health.database.status);
  await expect(page.getByTestId('cache-status')).toHaveText(health.cache.status);
  const stats = await api.json<{ edge: { max_flags: number } }>('/cache/stats');
  await expect(page.getByTestId('edge-size')).toContainText(`/ ${stats.edge.max_flags}`);
  // The OFREP bulk memo: one context asked for three times is kept, and the third is a hit.
  const context = { targetingKey: uniqueName('memo_user') };
  for (let i = 0; i < 3; i++)
    expect(
      (
        await page.request.post('/ofrep/v1/evaluate/flags', {
          headers: { authorization: `Bearer ${CLIENT_SECRET}` },
          data: { context },
        })
      ).status(),
    ).toBe(200);
  const memo = await api.json<{
    ofrep_bulk_memo: { entries: number; hit_rate: number; max_bytes: number };
  }>('/cache/stats');
  expect(memo.ofrep_bulk_memo.entries).toBeGreaterThanOrEqual(1);
  const entries = memo.ofrep_bulk_memo.entries;
  await expect(page.getByTestId('memo-size')).toContainText(
    `${entries} context${entries === 1 ? '' : 's'},`,
  );
  await expect(page.getByTestId('memo-size')).toContainText(
    `of ${Math.ceil(memo.ofrep_bulk_memo.max_bytes / 1024).toLocaleString('en')} KiB`,
  );
  await expect(page.getByRole('table', { name: /Layers/ })).toContainText('check');
  // Two polls make the first interval of the chart.
  await expect(page.getByRole('img', { name: /Requests and hit rate/ })).toBeVisible({
    timeout: 20_000,
  });
});

// Each page at both widths, in light and dark: axe finds no serious or critical violation, and
// a screenshot of each lands in <outputDir>/screenshots for a person to look at.
const PAGES: Array<{
  label: string;
  path: (flag: string) => string;
  ready: (page: Page) => Promise<void>;
  /** What to do on the page before it is ready (a filter to choose). */
  prepare?: (page: Page) => Promise<unknown>;
}> = [
  {
    label: 'sign-in',
    path: () => '/ui/',
    ready: (p) => expect(p.getByLabel('Token')).toBeVisible(),
  },
  {
    label: 'flags',
    path: () => '/ui/#/',
    ready: (p) => expect(p.locator('table.flags')).toBeVisible(),
  },
  {
    label: 'archived',
    path: () => '/ui/#/',
    prepare: (p) => p.getByLabel('State', { exact: true }).selectOption('archived'),
    ready: (p) => expect(p.getByText(/archived flags$/)).toBeVisible(),
  },
  {
    label: 'flag',
    path: (f) => `/ui/#/flags/${f}`,
    ready: (p) => expect(p.getByRole('button', { name: 'Save' })).toBeVisible(),
  },
  {
    label: 'evaluate',
    path: (f) => `/ui/#/flags/${f}/evaluate`,
    ready: (p) => expect(p.getByLabel('User id')).toBeVisible(),
  },
  {
    label: 'history',
    path: (f) => `/ui/#/flags/${f}/history`,
    ready: (p) => expect(p.locator('.history .entry')).toHaveCount(2),
  },
  {
    label: 'cache',
    path: () => '/ui/#/cache',
    ready: (p) => expect(p.getByTestId('db-status')).toBeVisible(),
  },
];

for (const colorScheme of ['light', 'dark'] as const) {
  for (const view of PAGES) {
    test(`${view.label} page (${colorScheme}): accessible at 1280 and 375 px, screenshots`, async ({
      page,
      api,
    }, info) => {
      test.setTimeout(180_000);
      const name = uniqueName('shot');
      await api.put(name, { enabled: true, rollout_percentage: 25, metadata: { owner: 'growth' } });
      await api.put(name, { rollout_percentage: 50 });
      await page.emulateMedia({ colorScheme });
      if (view.label !== 'sign-in') await signIn(page, ADMIN_SECRET);
      const dir = `${info.project.outputDir}/screenshots`;
      mkdirSync(dir, { recursive: true });
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 1280 ? 900 : 800 });
        await page.goto(view.path(name));
        await view.prepare?.(page);
        await view.ready(page);
        await expectAccessible(page);
        await page.screenshot({
          path: `${dir}/${view.label}-${width}-${colorScheme}.png`,
          fullPage: true,
        });
      }
    });
  }
}

test('the console ships under 250 KB of JavaScript, gzipped', async ({ page }) => {
  // What the browser loads: every script of the built page, gzipped as a server would send it.
  await page.goto('/ui/');
  const scripts = await page
    .locator('script[src]')
    .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { src: string }).src));
  expect(scripts.length).toBeGreaterThan(0);
  let total = 0;
  for (const src of scripts) {
    const response = await page.request.get(src);
    expect(response.status()).toBe(200);
    total += gzipSync(await response.body(), { level: 9 }).length;
  }
  expect(total).toBeLessThan(250 * 1024);
});
