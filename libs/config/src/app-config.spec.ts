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

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['CACHE_TTL_CHECK_S', '0'],
    ['CACHE_TTL_SERVICE_S', '1.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'localhost:6379'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
