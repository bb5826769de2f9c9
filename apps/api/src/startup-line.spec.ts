import { loadConfig } from '@app/config';
import { startupLine } from './startup-line';

describe(startupLine.name, () => {
  const secret = 'correct-horse-battery-staple';

  it('names the URL, the embedded backends and an open admin API', () => {
    expect(startupLine(loadConfig({}), 8000)).toBe(
      'edgeflags ready at http://localhost:8000 (API docs at /docs); database: embedded PGlite ' +
        '(./.data/pglite); cache: in-process; admin auth OFF: anyone can change flags',
    );
  });

  it('names PostgreSQL and Redis without their credentials, and counts admin tokens', () => {
    const line = startupLine(
      loadConfig({
        HOST: '127.0.0.1',
        DATABASE_URL: `postgres://app:${secret}@db.internal:5432/edgeflags`,
        REDIS_URL: `redis://:${secret}@cache.internal:6379/3`,
        ADMIN_TOKENS: `ops:${secret},ci:${secret}-2`,
        CLIENT_TOKENS: `web:${secret}-3`,
      }),
      9000,
    );
    expect(line).toContain('http://127.0.0.1:9000');
    expect(line).toContain(
      'database: PostgreSQL db.internal:5432/edgeflags; cache: Redis cache.internal:6379/3;',
    );
    expect(line).toContain('admin auth on (2 tokens), reads need a token');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('\n');
  });

  it('brackets an IPv6 address', () => {
    expect(startupLine(loadConfig({ HOST: '::1', ADMIN_TOKEN: secret }), 80)).toContain(
      'http://[::1]:80 ',
    );
  });
});
