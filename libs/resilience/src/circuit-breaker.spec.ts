import { CircuitBreaker } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  let now: number;
  let sut: CircuitBreaker;
  beforeEach(() => {
    now = 1_000_000;
    sut = new CircuitBreaker({ baseMs: 250, maxMs: 4000, now: () => now });
  });

  /** Fails the probe that is let through once the current interval has passed. */
  const failNextProbe = () => {
    now += sut.intervalMs;
    expect(sut.allow()).toBe(true);
    sut.fail();
  };

  it('starts closed and lets every call through', () => {
    expect(sut.snapshot()).toEqual({ state: 'closed', failures: 0, opened_at: null });
    for (let i = 0; i < 5; i++) expect(sut.allow()).toBe(true);
  });

  it('opens on the first failure and skips calls until the interval has passed', () => {
    sut.fail();
    expect(sut.snapshot()).toEqual({
      state: 'open',
      failures: 1,
      opened_at: new Date(now).toISOString(),
    });
    expect(sut.allow()).toBe(false);
    now += 249;
    expect(sut.allow()).toBe(false);
    now += 1;
    expect(sut.allow()).toBe(true);
    expect(sut.state).toBe('half_open');
  });

  it('lets exactly one probe through at a time while half-open', () => {
    sut.fail();
    now += 250;
    expect(sut.allow()).toBe(true);
    for (let i = 0; i < 10; i++) expect(sut.allow()).toBe(false);
    now += 1000;
    expect(sut.allow()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    sut.fail();
    now += 250;
    sut.allow();
    sut.succeed();
    expect(sut.snapshot()).toEqual({ state: 'closed', failures: 0, opened_at: null });
    expect(sut.allow()).toBe(true);
  });

  it('doubles the interval with every failed probe, capped at maxMs', () => {
    sut.fail();
    const intervals = [sut.intervalMs];
    for (let i = 0; i < 7; i++) {
      failNextProbe();
      intervals.push(sut.intervalMs);
    }
    expect(intervals).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
    expect(sut.failures).toBe(8);
    expect(sut.state).toBe('open');
    now += 3999;
    expect(sut.allow()).toBe(false);
    now += 1;
    expect(sut.allow()).toBe(true);
  });

  it('does not lengthen the interval for failures of calls that started before it opened', () => {
    sut.fail();
    sut.fail();
    sut.fail();
    expect(sut.failures).toBe(1);
    expect(sut.intervalMs).toBe(250);
  });

  it('closes when any call succeeds, such as a write tried while open', () => {
    sut.fail();
    failNextProbe();
    sut.succeed();
    expect(sut.state).toBe('closed');
    sut.fail();
    expect(sut.intervalMs).toBe(250);
  });

  it('lets another probe through when one never reported within maxMs', () => {
    sut.fail();
    now += 250;
    expect(sut.allow()).toBe(true);
    now += 3999;
    expect(sut.allow()).toBe(false);
    now += 1;
    expect(sut.allow()).toBe(true);
  });
});
