import type {
  CacheStats,
  ErrorBody,
  FlagDetails,
  FlagHistory,
  FlagList,
  FlagUpdate,
  FlagUpdateResult,
  Health,
  Session,
} from './types';

/** A refused request, with the server's explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message);
  }
  get field(): string | undefined {
    return this.body.field;
  }
}

const TOKEN_KEY = 'edgeflags.token';

/**
 * The bearer token lives in sessionStorage only: gone when the tab closes, never in a URL (so
 * never in a proxy log or the browser history), and never printed.
 */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

let onUnauthorized: () => void = () => undefined;
/** Called when the server refuses the stored token (revoked, rotated): the app signs out. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<T> {
  const token = options.token ?? tokenStore.get();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cache: 'no-store',
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const body = parsed as ErrorBody;
    if (response.status === 401 && options.token === undefined) onUnauthorized();
    throw new ApiError(response.status, {
      ...body,
      statusCode: response.status,
      message: body.message ?? response.statusText,
    });
  }
  return parsed as T;
}

const flagPath = (name: string) => `/flags/${encodeURIComponent(name)}`;

/** Every call the console makes, typed. */
export const api = {
  session: (token: string) => request<Session>('GET', '/auth/session', { token }),
  flags: () => request<FlagList>('GET', '/flags'),
  /** Archived flags only (admins): the list's "archived" filter. */
  archivedFlags: () => request<FlagList>('GET', '/flags?archived=true'),
  flag: (name: string, context: Record<string, string> = {}) => {
    const query = new URLSearchParams(context).toString();
    return request<FlagDetails>('GET', `${flagPath(name)}${query ? `?${query}` : ''}`);
  },
  update: (name: string, patch: FlagUpdate) =>
    request<FlagUpdateResult>('POST', `${flagPath(name)}/update`, { body: patch }),
  archive: (name: string) => request<{ revision: number }>('DELETE', flagPath(name)),
  history: (name: string, limit: number, cursor?: string) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return request<FlagHistory>('GET', `${flagPath(name)}/history?${query.toString()}`);
  },
  cacheStats: () => request<CacheStats>('GET', '/cache/stats'),
  health: () => request<Health>('GET', '/health'),
};
