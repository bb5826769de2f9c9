import { loadConfig } from '@app/config';
import { STREAM_TOKEN_WINDOW_S, StreamTokens } from './stream-tokens';

const config = (tokens: string) => loadConfig({ CLIENT_TOKENS: tokens });
const at = (seconds: number) => () => seconds * 1000;

describe(StreamTokens.name, () => {
  const start = 1_795_800_000;
  const sut = new StreamTokens(config('app:client-secret-0123456789'), at(start));

  it('accepts its own token, and another instance with the same configuration does too', () => {
    const { token } = sut.current();
    expect(sut.check(token)).toBeNull();
    expect(
      new StreamTokens(config('app:client-secret-0123456789'), at(start)).check(token),
    ).toBeNull();
  });

  it('refuses a token once the client tokens change (rotation revokes it)', () => {
    const { token } = sut.current();
    const rotated = new StreamTokens(config('app:another-secret-0123456789'), at(start));
    expect(rotated.check(token)).toBe('invalid stream token');
  });

  it('gives everyone the same token within a window, a new one in the next', () => {
    const later = new StreamTokens(config('app:client-secret-0123456789'), at(start + 1));
    expect(later.current()).toEqual(sut.current());
    const next = new StreamTokens(
      config('app:client-secret-0123456789'),
      at(start + STREAM_TOKEN_WINDOW_S),
    );
    expect(next.current().window).toBe(sut.current().window + 1);
    expect(next.current().token).not.toBe(sut.current().token);
  });

  it('signs once per window, on one instance as time passes', () => {
    let now = start * 1000;
    const clock = new StreamTokens(config('app:client-secret-0123456789'), () => now);
    const first = clock.current();
    now += 1000;
    expect(clock.current()).toBe(first);
    now += STREAM_TOKEN_WINDOW_S * 1000;
    const next = clock.current();
    expect(next.window).toBe(first.window + 1);
    expect(next.token).not.toBe(first.token);
    expect(clock.check(next.token)).toBeNull();
  });

  it('expires two windows after the one it was issued in', () => {
    const { token } = sut.current();
    const check = (seconds: number) =>
      new StreamTokens(config('app:client-secret-0123456789'), at(seconds)).check(token);
    expect(check(start + 2 * STREAM_TOKEN_WINDOW_S)).toBeNull();
    expect(check(start + 4 * STREAM_TOKEN_WINDOW_S)).toMatch(/^expired/);
  });

  it.each([undefined, '', 'garbage', '1.abc', 'client-secret-0123456789'])(
    'refuses %p without echoing it',
    (token) => {
      const reason = sut.check(token);
      expect(reason).not.toBeNull();
      if (token) expect(reason).not.toContain(token);
    },
  );

  it('refuses a forged expiry (the signature covers it)', () => {
    const [, signature] = sut.current().token.split('.');
    expect(sut.check(`9999999999.${signature}`)).toBe('invalid stream token');
  });

  it('says whether reads need a token at all', () => {
    expect(sut.required).toBe(true);
    expect(new StreamTokens(loadConfig({})).required).toBe(false);
  });
});
