import { defineConfig } from '@playwright/test';
import { ADMIN_TOKENS, BASE_URL, CLIENT_TOKENS, PORT } from './fixtures';

// The browser suite drives Debian's Chromium (Playwright's own download is not reachable from
// our CI) against the built service: `npm run build` first. It uses DATABASE_URL and REDIS_URL
// when set (CI sets both), the embedded defaults otherwise.
export default defineConfig({
  testDir: '.',
  testMatch: '*.pw.ts',
  outputDir: '../../test-results/browser',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node dist/apps/api/main',
    cwd: '../..',
    url: `${BASE_URL}/health/ready`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      ADMIN_TOKENS,
      CLIENT_TOKENS,
      PGLITE_DATA_DIR: 'memory://',
      LOG_LEVEL: 'warn',
      AUTH_FAILURE_LIMIT: '1000',
    },
  },
});
