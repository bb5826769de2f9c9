import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * Tokens are issued per window of this many seconds and live two windows past theirs (10-15
 * minutes): long enough for EventSource's own reconnections after a restart, short enough that
 * a leaked URL soon dies.
 */
export const STREAM_TOKEN_WINDOW_S = 300;
const LIFETIME_WINDOWS = 2;

/**
 * Short-lived tokens for the OFREP event stream. OpenFeature's web provider opens that stream
 * with the browser's EventSource, which cannot send headers, so what authenticates it has to be
 * in the URL, where proxies and browser history may keep it. The client token itself must never
 * be there: instead the bulk evaluation (authenticated by the client token) hands out a token
 * that only opens the stream, and only for 10-15 minutes. It is an HMAC of its expiry under
 * a key derived from the configured credentials, so every instance with the same configuration
 * accepts it, nothing is stored, and rotating the tokens revokes it. An expired one gets a 401;
 * the provider then fetches the bulk evaluation again and receives a new URL.
 */
@Injectable()
export class StreamTokens {
  private readonly key: Buffer;
  /** The last window's token: signed once per window, not per bulk request. */
  private signed: { token: string; window: number } | undefined;
  /** Whether reads need a credential at all (CLIENT_TOKENS set). */
  readonly required: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly now: () => number = Date.now,
  ) {
    const hash = createHash('sha256').update('edgeflags stream token v1');
    for (const credential of [...config.auth.client, ...config.auth.admin])
      hash.update(credential.digest);
    this.key = hash.digest();
    this.required = config.auth.client.length > 0;
  }

  /**
   * The token of the current window, and the window's number. Everyone gets the same token in a
   * window (it only opens the stream, which every reader may open), so a response carrying it
   * stays cacheable; the bulk evaluation puts the window in its ETag, so that a provider holding
   * a token about to expire gets a new one instead of a 304.
   */
  current(): { token: string; window: number } {
    const window = Math.floor(this.now() / 1000 / STREAM_TOKEN_WINDOW_S);
    if (this.signed?.window !== window) {
      const expires = (window + 1 + LIFETIME_WINDOWS) * STREAM_TOKEN_WINDOW_S;
      this.signed = { token: `${expires}.${this.sign(expires)}`, window };
    }
    return this.signed;
  }

  /** Why the token does not open the stream, or null when it does. Never echoes the token. */
  check(token: string | undefined): string | null {
    if (token === undefined || token === '')
      return 'missing stream token (query parameter `token`)';
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (match === null) return 'malformed stream token';
    const expected = Buffer.from(this.sign(Number(match[1])));
    if (!timingSafeEqual(expected, Buffer.from(match[2]))) return 'invalid stream token';
    if (Number(match[1]) * 1000 < this.now())
      return 'expired stream token (fetch the bulk evaluation again for a new one)';
    return null;
  }

  private sign(expires: number): string {
    return createHmac('sha256', this.key).update(String(expires)).digest('base64url');
  }
}
