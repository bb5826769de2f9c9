import { AppConfig } from '@app/config';

/** Host and path of a backend URL: where it is, never the credentials in it. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}

/**
 * The last line of a start-up, for the person who ran it: where to point a browser or curl,
 * which backends answer, and whether anyone may change flags.
 */
export function startupLine(config: AppConfig, port: number): string {
  const { host } = config.http;
  // A wildcard address is not something to type into a browser: name this machine instead.
  const shown =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}`;
  const database =
    config.database.kind === 'postgres'
      ? `PostgreSQL ${where(config.database.url)}`
      : `embedded PGlite (${config.database.dataDir})`;
  const cache = config.redis.kind === 'redis' ? `Redis ${where(config.redis.url)}` : 'in-process';
  const admins = config.auth.admin.length;
  const auth =
    admins === 0
      ? 'admin auth OFF: anyone can change flags'
      : `admin auth on (${admins} token${admins === 1 ? '' : 's'})`;
  const reads = config.auth.client.length > 0 ? ', reads need a token' : '';
  return `edgeflags ready at ${url} (API docs at /docs); database: ${database}; cache: ${cache}; ${auth}${reads}`;
}
