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

describe(`${loadConfig.name}: every setting`, () => {
  it('gives every default with an empty environment, and treats an empty variable as unset', () => {
    const expected = {
      env: 'development',
      http: { port: 8000, host: '0.0.0.0', trustProxy: false },
      database: { kind: 'pglite', dataDir: './.data/pglite', migrationsRun: true },
      redis: { kind: 'memory', maxKeys: 100_000 },
      ttl: { checkMs: 30_000, endpointMs: 60_000, serviceMs: 300_000, listMs: 60_000 },
      edge: { maxFlags: 10_000, syncIntervalMs: 1000 },
      events: { keepaliveMs: 15_000 },
      logLevel: 'log',
      logFormat: undefined,
      auth: { admin: [], client: [], failureLimit: 10, failureWindowMs: 60_000 },
      shutdownTimeoutMs: 10_000,
      metrics: { http: true },
      console: { dir: 'apps/console/dist' },
    };
    expect(loadConfig({})).toEqual(expected);
    expect(loadConfig({ PORT: '', DATABASE_URL: '', NODE_ENV: undefined })).toEqual(expected);
  });

  it('reads every variable into its setting', () => {
    expect(
      loadConfig({
        NODE_ENV: 'test',
        PORT: ' 8080 ',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://app@db:5432/flags',
        REDIS_URL: 'rediss://cache:6380/2',
        CACHE_TTL_CHECK_S: '1',
        CACHE_TTL_ENDPOINT_S: '2',
        CACHE_TTL_SERVICE_S: '3',
        CACHE_TTL_LIST_S: '4',
        EDGE_CACHE_MAX_FLAGS: '5',
        SYNC_INTERVAL_MS: '60',
        REDIS_COMMAND_TIMEOUT_MS: '70',
        DB_CONNECT_TIMEOUT_MS: '800',
        DB_STATEMENT_TIMEOUT_MS: '900',
        DB_POOL_SIZE: '11',
        DB_MIGRATIONS_RUN: 'false',
        LOG_LEVEL: 'debug',
        AUTH_FAILURE_LIMIT: '12',
        AUTH_FAILURE_WINDOW_S: '13',
        TRUST_PROXY: 'true',
        METRICS_HTTP: 'false',
        SHUTDOWN_TIMEOUT_MS: '0',
        CONSOLE_DIR: '/srv/console',
        EVENTS_KEEPALIVE_MS: '2500',
      }),
    ).toEqual({
      env: 'test',
      http: { port: 8080, host: '127.0.0.1', trustProxy: true },
      database: {
        kind: 'postgres',
        url: 'postgresql://app@db:5432/flags',
        poolSize: 11,
        connectTimeoutMs: 800,
        statementTimeoutMs: 900,
        migrationsRun: false,
      },
      redis: { kind: 'redis', url: 'rediss://cache:6380/2', commandTimeoutMs: 70 },
      ttl: { checkMs: 1000, endpointMs: 2000, serviceMs: 3000, listMs: 4000 },
      edge: { maxFlags: 5, syncIntervalMs: 60 },
      events: { keepaliveMs: 2500 },
      logLevel: 'debug',
      logFormat: undefined,
      auth: { admin: [], client: [], failureLimit: 12, failureWindowMs: 13_000 },
      shutdownTimeoutMs: 0,
      metrics: { http: false },
      console: { dir: '/srv/console' },
    });
    expect(loadConfig({ PGLITE_DATA_DIR: 'memory://' }).database).toEqual({
      kind: 'pglite',
      dataDir: 'memory://',
      migrationsRun: true,
    });
    expect(loadConfig({ DB_MIGRATIONS_RUN: 'false' }).database.migrationsRun).toBe(false);
    expect(loadConfig({ MEMORY_CACHE_MAX_KEYS: '7' }).redis).toEqual({
      kind: 'memory',
      maxKeys: 7,
    });
  });

  it.each([
    ['NODE_ENV', ['development', 'production', 'test'], 'staging'],
    ['LOG_LEVEL', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], 'trace'],
    ['LOG_FORMAT', ['json', 'pretty'], 'text'],
    ['DB_MIGRATIONS_RUN', ['true', 'false'], 'yes'],
    ['METRICS_HTTP', ['true', 'false'], '1'],
    ['DATABASE_URL', ['postgres://h/db', 'postgresql://h/db'], 'xpostgres://h/db'],
    ['REDIS_URL', ['redis://h', 'rediss://h'], 'http://redis://h'],
    [
      'TRUST_PROXY',
      ['true', 'false', '2', '99', '10.0.0.1', '10.0.0.0/8,::1,fe80::/10'],
      '10.0.0.1 ,x',
    ],
    ['TRUST_PROXY', ['A:b'], '1,'],
    ['PORT', ['0', '65535'], '-1'],
  ])('accepts every value %s may take, and refuses others', (name, good, bad) => {
    for (const value of good) {
      const withToken = name === 'NODE_ENV' ? { ADMIN_TOKEN: 'correct-horse-battery-staple' } : {};
      expect(() => loadConfig({ ...withToken, [name]: value })).not.toThrow();
    }
    expect(() => loadConfig({ [name]: bad })).toThrow(new RegExp(`${name}=`));
  });

  it('names each bad variable with its value and every reason, one per line', () => {
    expect(() => loadConfig({ PORT: 'eighty', CACHE_TTL_CHECK_S: '0' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n' +
          '  PORT="eighty": PORT must not be greater than 65535; PORT must not be less than 0; PORT must be an integer number\n' +
          '  CACHE_TTL_CHECK_S="0": CACHE_TTL_CHECK_S must not be less than 1',
      ),
    );
    expect(() => loadConfig({ ADMIN_TOKENS: 'x', CLIENT_TOKENS: 'y' })).toThrow(
      'Invalid configuration:\n' +
        '  ADMIN_TOKENS entry 1 must look like name:secret (name: letters, digits, _ . @ -)\n' +
        '  CLIENT_TOKENS entry 1 must look like name:secret (name: letters, digits, _ . @ -)',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      'Invalid configuration:\n  DATABASE_URL="mysql://x": DATABASE_URL must be a postgres:// URL',
    );
    expect(() => loadConfig({ REDIS_URL: 'x' })).toThrow(
      'REDIS_URL="x": REDIS_URL must be a redis:// or rediss:// URL',
    );
    expect(() => loadConfig({ TRUST_PROXY: 'x y' })).toThrow(
      'TRUST_PROXY="x y": TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs',
    );
  });

  it('reads a single ADMIN_TOKEN as the admin named admin, after ADMIN_TOKENS', () => {
    const secret = 'correct-horse-battery-staple';
    const c = loadConfig({
      NODE_ENV: 'production',
      ADMIN_TOKEN: secret,
      ADMIN_TOKENS: `ops:${secret}-1`,
    });
    expect(c.auth.admin.map((t) => t.name)).toEqual(['ops', 'admin']);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(
      "Invalid configuration:\n  ADMIN_TOKEN entry 1 ('admin') needs a secret",
    );
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
