import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';

export const PORT = Number(process.env.BROWSER_TEST_PORT ?? 8790);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const ADMIN_SECRET = 'browser-admin-secret-0123456789';
export const CLIENT_SECRET = 'browser-client-secret-0123456789';
export const ADMIN_TOKENS = `ops:${ADMIN_SECRET}`;
export const CLIENT_TOKENS = `web:${CLIENT_SECRET}`;

type Definition = { enabled?: boolean; rollout_percentage?: number; metadata?: object };

/** The API as an admin script sees it: what each test checks after acting through the page. */
export class Api {
  constructor(private readonly request: APIRequestContext) {}
  private readonly headers = { authorization: `Bearer ${ADMIN_SECRET}` };

  async put(name: string, definition: Definition) {
    const response = await this.request.post(`/flags/${name}/update`, {
      headers: this.headers,
      data: definition,
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as { revision: number };
  }
  async get(name: string, query = '') {
    return this.request.get(`/flags/${name}${query}`, { headers: this.headers });
  }
  async flag(name: string) {
    const response = await this.get(name);
    expect(response.status()).toBe(200);
    return (await response.json()) as {
      enabled: boolean;
      flag_data: Required<Definition>;
      revision?: number;
    };
  }
  async history(name: string) {
    const response = await this.request.get(`/flags/${name}/history?limit=10`, {
      headers: this.headers,
    });
    expect(response.status()).toBe(200);
    return (await response.json()) as {
      entries: Array<{ action: string; actor: string; before: Definition; after: Definition }>;
    };
  }
  async json<T>(path: string): Promise<T> {
    const response = await this.request.get(path, { headers: this.headers });
    expect(response.status()).toBe(200);
    return (await response.json()) as T;
  }
}

let counter = 0;
/** A flag name of this run alone, so tests do not depend on each other or on earlier runs. */
export const uniqueName = (label: string) =>
  `pw_${label}_${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * Every page fails its test on a Content-Security-Policy violation or an uncaught error:
 * the console must run under its strict CSP, not merely look right.
 */
export const test = base.extend<{ api: Api; problems: string[] }>({
  api: async ({ request }, use) => use(new Api(request)),
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
          problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      await use(problems);
      expect(problems, 'CSP violations or page errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function signIn(page: Page, token: string) {
  await page.goto('/ui/');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Flags', level: 1 })).toBeVisible();
}

/** Axe (WCAG 2.x A/AA rules): no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad).toEqual([]);
}

type BrowserGlobals = { sessionStorage: { getItem(key: string): string | null } };

/** What the console keeps in the tab's sessionStorage. */
export const storedToken = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('edgeflags.token'),
  );
