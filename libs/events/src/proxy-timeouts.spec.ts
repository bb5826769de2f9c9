import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@app/config';

/**
 * deploy/haproxy.cfg must keep an idle change stream open: every inactivity timeout a stream
 * can meet there has to be longer than the interval of the keepalive comment the API sends.
 */
const CFG = readFileSync(join(__dirname, '../../../deploy/haproxy.cfg'), 'utf8');

function timeoutMs(name: string): number {
  const match = new RegExp(`^\\s*timeout ${name} (\\d+)(ms|s|m|h)\\s*$`, 'm').exec(CFG);
  if (match === null) throw new Error(`deploy/haproxy.cfg has no "timeout ${name}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

describe('deploy/haproxy.cfg and the change stream', () => {
  const keepaliveMs = loadConfig({}).events.keepaliveMs;

  it.each(['client', 'server', 'tunnel'])(
    'timeout %s outlasts the keepalive interval (twice over, so one late comment is no cut)',
    (name) => {
      expect(timeoutMs(name)).toBeGreaterThanOrEqual(2 * keepaliveMs);
    },
  );
});
