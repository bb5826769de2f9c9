import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig, sha256 } from '@app/config';
import type { AuthFailures } from './auth-failures';
import { ClientAuth } from './client-auth';
import { ClientGuard } from './client.guard';

const CLIENT = 'client-secret-0123456789';
const ADMIN = 'admin-secret-0123456789';
const config = {
  auth: {
    client: [{ name: 'web', digest: sha256(CLIENT) }],
    admin: [{ name: 'ops', digest: sha256(ADMIN) }],
  },
} as unknown as AppConfig;

/** Records what the guard asks of the failure counter (which, with Redis, is a round trip). */
class FakeFailures {
  blocked = new Map<string, number>();
  failed: string[] = [];
  blockedUntil(address: string) {
    return this.blocked.get(address);
  }
  fail(address: string) {
    this.failed.push(address);
    return Promise.resolve(this.failed.length >= 2 ? Date.now() + 60_000 : undefined);
  }
}

const context = (authorization?: string, ip = '203.0.113.1') =>
  ({
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({
      getRequest: () => ({ ip, headers: authorization === undefined ? {} : { authorization } }),
      getResponse: () => ({ header: () => undefined }),
    }),
  }) as unknown as ExecutionContext;

/** The HTTP status the guard's answer amounts to (it throws synchronously or rejects). */
const status = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    return (error as HttpException).getStatus();
  }
  return 200;
};

describe(ClientGuard.name, () => {
  let failures: FakeFailures;
  let sut: ClientGuard;

  beforeEach(() => {
    failures = new FakeFailures();
    const reflector = { getAllAndOverride: () => false } as unknown as Reflector;
    sut = new ClientGuard(reflector, new ClientAuth(config, failures as unknown as AuthFailures));
  });

  it('lets a client or admin token through synchronously, without counting anything', () => {
    expect(sut.canActivate(context(`Bearer ${CLIENT}`))).toBe(true);
    expect(sut.canActivate(context(`Bearer ${ADMIN}`))).toBe(true);
    expect(failures.failed).toEqual([]);
  });

  it('counts a wrong token, and answers 429 once the address is blocked', async () => {
    expect(await status(() => sut.canActivate(context('Bearer wrong-000000000000')))).toBe(401);
    expect(await status(() => sut.canActivate(context('Bearer wrong-111111111111')))).toBe(429);
    expect(failures.failed).toEqual(['203.0.113.1', '203.0.113.1']);
  });

  it('does not count a request with no token at all', async () => {
    expect(await status(() => sut.canActivate(context()))).toBe(401);
    expect(failures.failed).toEqual([]);
  });

  it('refuses a blocked address before looking at its token, right tokens included', async () => {
    failures.blocked.set('203.0.113.1', Date.now() + 30_000);
    expect(await status(() => sut.canActivate(context(`Bearer ${ADMIN}`)))).toBe(429);
    expect(sut.canActivate(context(`Bearer ${CLIENT}`, '203.0.113.2'))).toBe(true);
  });
});

describe(ClientAuth.name, () => {
  const failures = new FakeFailures() as unknown as AuthFailures;
  const request = (headers: Record<string, string>) =>
    ({ ip: '203.0.113.9', headers }) as unknown as Parameters<ClientAuth['allows']>[0];
  const reply = { header: () => undefined } as unknown as Parameters<ClientAuth['allows']>[1];

  it('is required only when CLIENT_TOKENS is set', () => {
    expect(new ClientAuth(config, failures).required).toBe(true);
    const open = { auth: { client: [], admin: config.auth.admin } } as unknown as AppConfig;
    expect(new ClientAuth(open, failures).required).toBe(false);
  });

  it('takes the token from X-API-Key (OFREP providers) when there is no Authorization', async () => {
    const sut = new ClientAuth(config, failures);
    expect(sut.allows(request({ 'x-api-key': CLIENT }), reply)).toBe(true);
    expect(await status(() => sut.allows(request({ 'x-api-key': 'wrong' }), reply))).toBe(401);
    expect(
      await status(() =>
        sut.allows(request({ authorization: 'Bearer wrong', 'x-api-key': CLIENT }), reply),
      ),
    ).toBe(401);
  });
});
