import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, TestApp } from './support/test-app';

const CLIENT_SECRET = 'e2e-client-secret-0123456789';

/** A stand-in for `npm run build:console`: the server serves whatever the build left there. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgeflags-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the console, served at /ui (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ CONSOLE_DIR: fakeBuild(), CLIENT_TOKENS: `web:${CLIENT_SECRET}` });
  });
  afterAll(() => t.close());

  it('serves the built files under a CSP of their own origin only, no inline script', async () => {
    await t.http.get('/ui').expect(301).expect('location', '/ui/');
    const page = await t.http
      .get('/ui/')
      .expect(200)
      .expect('content-type', /text\/html/);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await t.http.get('/ui/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('leaves the API its strict headers and the OpenAPI document without the console', async () => {
    const api = await t.admin.get('/flags').expect(200);
    expect(api.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    const doc = await t.http.get('/docs-json').expect(200);
    const paths = Object.keys(doc.body.paths);
    expect(paths.some((p) => p.startsWith('/ui'))).toBe(false);
    expect(paths).toContain('/auth/session');
  });

  it('tells a token its role: admin, client (read-only), or 401 for a wrong one', async () => {
    const admin = await t.admin.get('/auth/session').expect(200);
    expect(admin.body).toEqual({ role: 'admin', name: 'e2e', open: false });
    const client = await t.http
      .get('/auth/session')
      .set('Authorization', `Bearer ${CLIENT_SECRET}`)
      .expect(200);
    expect(client.body).toEqual({ role: 'client', name: 'web', open: false });
    const wrong = await t.http
      .get('/auth/session')
      .set('Authorization', 'Bearer not-a-token-of-this-service')
      .expect(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, message: 'invalid token' });
    expect(JSON.stringify(wrong.body)).not.toContain('not-a-token');
  });
});

describe('the console before it is built (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      CONSOLE_DIR: join(tmpdir(), 'edgeflags-no-console-here'),
      ADMIN_TOKENS: undefined,
    });
  });
  afterAll(() => t.close());

  it('says how to build it', async () => {
    const page = await t.http
      .get('/ui/')
      .expect(503)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('npm run build:console');
  });

  it('reports an open service (no admin token) as admin for anyone', async () => {
    const session = await t.http.get('/auth/session').expect(200);
    expect(session.body).toEqual({ role: 'admin', name: 'anonymous', open: true });
  });
});
