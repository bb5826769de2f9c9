import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { parseTokens, TokenCredential } from './tokens';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every environment variable the service reads, validated once at boot.
 * Nothing outside this library reads process.env (STYLE habit 5).
 */
export class EnvSchema {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV: string = 'development';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT: number = 8000;
  @IsOptional() @IsString() HOST: string = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  /** Where the embedded PostgreSQL (PGlite) keeps its files when DATABASE_URL is unset; `memory://` keeps nothing. */
  @IsString() PGLITE_DATA_DIR: string = './.data/pglite';

  @Transform(toInt) @IsInt() @Min(1) @Max(86400) CACHE_TTL_CHECK_S: number = 30;
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) CACHE_TTL_ENDPOINT_S: number = 60;
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) CACHE_TTL_SERVICE_S: number = 300;
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) CACHE_TTL_LIST_S: number = 60;

  /** Flags held in each instance's edge cache (L1). Flag data, never per-user answers. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000_000) EDGE_CACHE_MAX_FLAGS: number = 10_000;
  /** Keys held by the in-process cache that stands in for Redis when REDIS_URL is unset. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000_000) MEMORY_CACHE_MAX_KEYS: number = 100_000;
  /** How often each instance asks PostgreSQL for flag revisions it has not seen (the staleness bound when pub/sub is lost). */
  @Transform(toInt) @IsInt() @Min(50) @Max(60_000) SYNC_INTERVAL_MS: number = 1000;
  /** A comment line on every open change stream this often, so proxies do not cut an idle one. */
  @Transform(toInt) @IsInt() @Min(10) @Max(300_000) EVENTS_KEEPALIVE_MS: number = 15_000;
  /** A Redis read that takes longer is abandoned and treated as a miss. */
  @Transform(toInt) @IsInt() @Min(5) @Max(10_000) REDIS_COMMAND_TIMEOUT_MS: number = 200;
  @Transform(toInt) @IsInt() @Min(100) @Max(60_000) DB_CONNECT_TIMEOUT_MS: number = 2000;
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000) DB_STATEMENT_TIMEOUT_MS: number = 3000;
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) DB_POOL_SIZE: number = 10;
  @IsIn(['true', 'false']) DB_MIGRATIONS_RUN: string = 'true';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: string = 'log';
  /** Unset: one coloured line per log on a terminal in development, JSON lines otherwise. */
  @IsOptional() @IsIn(['json', 'pretty']) LOG_FORMAT?: 'json' | 'pretty';

  /** `name:secret` or `name:sha256:<hex>`, comma-separated: who may change flags. */
  @IsOptional() @IsString() ADMIN_TOKENS?: string;
  /** A single admin secret (name `admin`), for the simple case. */
  @IsOptional() @IsString() ADMIN_TOKEN?: string;
  /** When set, reads need one of these (or an admin token). */
  @IsOptional() @IsString() CLIENT_TOKENS?: string;
  /** Failed admin authentications allowed per client address and window before 429. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) AUTH_FAILURE_LIMIT: number = 10;
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) AUTH_FAILURE_WINDOW_S: number = 60;
  /**
   * Behind a load balancer, which proxies to believe about the client address (X-Forwarded-For):
   * `false` (default, direct exposure), `true`, a hop count, or comma-separated addresses/CIDRs.
   * Failed-login throttling is per client address, so behind a proxy this must be set.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY: string = 'false';
  /** Per-request HTTP metrics (count and latency by route and status). Off only to measure their cost. */
  @IsIn(['true', 'false']) METRICS_HTTP: string = 'true';
  /** On SIGTERM, how long in-flight requests may take before the process exits anyway. */
  @Transform(toInt) @IsInt() @Min(0) @Max(600_000) SHUTDOWN_TIMEOUT_MS: number = 10_000;
  /** The built admin console (`npm run build:console`), served at /ui; relative to the working directory. */
  @IsString() CONSOLE_DIR: string = 'apps/console/dist';
}

export interface AppConfig {
  env: string;
  http: { port: number; host: string; trustProxy: boolean | number | string[] };
  database:
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        connectTimeoutMs: number;
        statementTimeoutMs: number;
        migrationsRun: boolean;
      }
    | { kind: 'pglite'; dataDir: string; migrationsRun: boolean };
  redis:
    { kind: 'redis'; url: string; commandTimeoutMs: number } | { kind: 'memory'; maxKeys: number };
  ttl: { checkMs: number; endpointMs: number; serviceMs: number; listMs: number };
  edge: { maxFlags: number; syncIntervalMs: number };
  events: { keepaliveMs: number };
  logLevel: string;
  /** Undefined when LOG_FORMAT is unset: the app then picks by NODE_ENV and whether stdout is a terminal. */
  logFormat?: 'json' | 'pretty';
  auth: {
    admin: TokenCredential[];
    client: TokenCredential[];
    failureLimit: number;
    failureWindowMs: number;
  };
  shutdownTimeoutMs: number;
  metrics: { http: boolean };
  console: { dir: string };
}

export class ConfigError extends Error {}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',');
}

/** Parses and validates an environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const e = plainToInstance(EnvSchema, defined, { exposeDefaultValues: true });
  const errors = validateSync(e, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((err) => {
      const reasons = Object.values(err.constraints ?? {}).join('; ');
      return `${err.property}=${JSON.stringify(String(defined[err.property] ?? ''))}: ${reasons}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const admin = parseTokens('ADMIN_TOKENS', e.ADMIN_TOKENS);
  const single = parseTokens(
    'ADMIN_TOKEN',
    e.ADMIN_TOKEN === undefined ? undefined : `admin:${e.ADMIN_TOKEN}`,
  );
  const client = parseTokens('CLIENT_TOKENS', e.CLIENT_TOKENS);
  const tokenErrors = [admin, single, client].filter((t): t is string => typeof t === 'string');
  if (tokenErrors.length > 0)
    throw new ConfigError(`Invalid configuration:\n  ${tokenErrors.join('\n  ')}`);
  const adminTokens = [...(admin as TokenCredential[]), ...(single as TokenCredential[])];
  if (e.NODE_ENV === 'production' && adminTokens.length === 0) {
    throw new ConfigError(
      'Invalid configuration:\n  NODE_ENV=production needs ADMIN_TOKENS or ADMIN_TOKEN: refusing to start with flag changes open to anyone',
    );
  }
  const migrationsRun = e.DB_MIGRATIONS_RUN === 'true';
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, trustProxy: parseTrustProxy(e.TRUST_PROXY) },
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DB_POOL_SIZE,
          connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
          statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
          migrationsRun,
        }
      : { kind: 'pglite', dataDir: e.PGLITE_DATA_DIR, migrationsRun },
    redis: e.REDIS_URL
      ? { kind: 'redis', url: e.REDIS_URL, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS }
      : { kind: 'memory', maxKeys: e.MEMORY_CACHE_MAX_KEYS },
    ttl: {
      checkMs: e.CACHE_TTL_CHECK_S * 1000,
      endpointMs: e.CACHE_TTL_ENDPOINT_S * 1000,
      serviceMs: e.CACHE_TTL_SERVICE_S * 1000,
      listMs: e.CACHE_TTL_LIST_S * 1000,
    },
    edge: { maxFlags: e.EDGE_CACHE_MAX_FLAGS, syncIntervalMs: e.SYNC_INTERVAL_MS },
    events: { keepaliveMs: e.EVENTS_KEEPALIVE_MS },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    auth: {
      admin: adminTokens,
      client: client as TokenCredential[],
      failureLimit: e.AUTH_FAILURE_LIMIT,
      failureWindowMs: e.AUTH_FAILURE_WINDOW_S * 1000,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    metrics: { http: e.METRICS_HTTP === 'true' },
    console: { dir: e.CONSOLE_DIR },
  };
}
