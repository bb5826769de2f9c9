import { sha256 } from '@app/config';
import { authenticate } from './bearer';

const creds = [
  { name: 'ops', digest: sha256('ops-secret-0123456789') },
  { name: 'ci', digest: sha256('ci-secret-0123456789') },
];

describe(authenticate.name, () => {
  it('names the credential a valid token belongs to', () => {
    expect(authenticate('Bearer ci-secret-0123456789', creds)).toEqual({ ok: true, name: 'ci' });
    expect(authenticate('bearer ops-secret-0123456789', creds)).toEqual({ ok: true, name: 'ops' });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Bearer', 'malformed'],
    ['Bearer ', 'malformed'],
    ['Basic b3BzOnNlY3JldA==', 'malformed'],
    ['Bearer two tokens', 'malformed'],
    ['Bearer x', 'invalid token'],
    ['Bearer ops-secret-012345678', 'invalid token'],
    ['Bearer ops-secret-01234567890', 'invalid token'],
  ])('refuses %j (%s) without echoing it', (header, reason) => {
    const result = authenticate(header, creds);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(reason);
      if (header) expect(result.reason).not.toContain(header.slice(7) || '\u0000');
    }
  });

  it('refuses everything when no credential is configured', () => {
    expect(authenticate('Bearer ops-secret-0123456789', []).ok).toBe(false);
  });
});
