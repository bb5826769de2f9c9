import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8000);
    expect(c.database.kind).toBe('pglite');
    expect(c.redis.kind).toBe('memory');
    expect(c.ttl).toEqual({
      checkMs: 30_000,
      endpointMs: 60_000,
      serviceMs: 300_000,
      listMs: 60_000,
    });
  });

  it('uses PostgreSQL and Redis when their URLs are set', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      REDIS_URL: 'redis://h:6379/1',
      PORT: '9000',
    });
    expect(c.database).toMatchObject({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(c.redis).toMatchObject({ kind: 'redis', url: 'redis://h:6379/1' });
    expect(c.http.port).toBe(9000);
  });

  it('reads TRUST_PROXY as a flag, a hop count or a list', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('leaves the log format to the app unless LOG_FORMAT names one', () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['CACHE_TTL_CHECK_S', '0'],
    ['CACHE_TTL_SERVICE_S', '1.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['TRUST_PROXY', 'yes please'],
    ['LOG_FORMAT', 'text'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});

describe('auth configuration', () => {
  const secret = 'correct-horse-battery-staple';

  it('reads ADMIN_TOKENS, ADMIN_TOKEN and CLIENT_TOKENS, keeping digests only', () => {
    const hashed = `ci:sha256:${'ab'.repeat(32)}`;
    const c = loadConfig({
      ADMIN_TOKENS: `ops:${secret},${hashed}`,
      ADMIN_TOKEN: `${secret}-2`,
      CLIENT_TOKENS: `web:${secret}-3`,
    });
    expect(c.auth.admin.map((t) => t.name)).toEqual(['ops', 'ci', 'admin']);
    expect(c.auth.client.map((t) => t.name)).toEqual(['web']);
    expect(JSON.stringify(c)).not.toContain(secret);
  });

  it.each([
    ['ADMIN_TOKENS', 'nocolon'],
    ['ADMIN_TOKENS', 'ops:short'],
    ['ADMIN_TOKENS', `ops:${secret},ops:${secret}x`],
    ['CLIENT_TOKENS', 'web:has space in it!!!!!!'],
  ])('rejects %s=%s naming the variable, not the secret', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      expect((e as Error).message).not.toContain('has space');
    }
  });

  it('refuses to start in production without an admin token, and starts open in development', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /NODE_ENV=production needs ADMIN_TOKENS or ADMIN_TOKEN/,
    );
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: secret }).auth.admin).toHaveLength(1);
    expect(loadConfig({}).auth.admin).toHaveLength(0);
  });
});
