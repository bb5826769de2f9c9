import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '@app/config';
import { Circuits } from '@app/resilience';
import { DatabaseUnavailableError } from './database-errors';
import { DatabaseGuard } from './database-guard';

const config = {
  database: {
    kind: 'postgres',
    url: 'postgres://x',
    poolSize: 1,
    connectTimeoutMs: 1000,
    statementTimeoutMs: 1000,
    migrationsRun: false,
  },
} as AppConfig;
const down = () => new Error('Query read timeout');
const never = () => new Promise<never>(() => undefined);

describe(DatabaseGuard.name, () => {
  let now: number;
  let circuits: Circuits;
  let probes: number;
  let probeAnswer: () => Promise<unknown>;
  let sut: DatabaseGuard;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
    probes = 0;
    probeAnswer = () => Promise.reject(down());
    circuits = new Circuits(() => now);
    const db = {
      query: () => {
        probes++;
        return probeAnswer();
      },
    } as unknown as DataSource;
    sut = new DatabaseGuard(config, circuits, db);
  });
  afterEach(() => jest.useRealTimers());

  it('passes reads through while closed; an error in the query still counts as an answer', async () => {
    await expect(sut.read(() => Promise.resolve(1))).resolves.toBe(1);
    const constraint = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(sut.read(() => Promise.reject(constraint))).rejects.toBe(constraint);
    expect(circuits.database.state).toBe('closed');
  });

  it('opens on an outage, then fails reads at once and starts one background probe per interval', async () => {
    await expect(sut.read(() => Promise.reject(down()))).rejects.toThrow('Query read timeout');
    expect(circuits.database.state).toBe('open');

    let loads = 0;
    const load = () => {
      loads++;
      return Promise.resolve(1);
    };
    await expect(sut.read(load)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(probes).toBe(0);
    now += 250;
    probeAnswer = never;
    for (let i = 0; i < 10; i++)
      await expect(sut.read(load)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(loads).toBe(0);
    expect(probes).toBe(1);
    expect(circuits.database.state).toBe('half_open');
  });

  it('closes when the probe answers', async () => {
    await sut.read(() => Promise.reject(down())).catch(() => undefined);
    now += 250;
    probeAnswer = () => Promise.resolve([{ '?column?': 1 }]);
    await sut.read(() => Promise.resolve(1)).catch(() => undefined);
    await Promise.resolve();
    await Promise.resolve();
    expect(circuits.database.state).toBe('closed');
    await expect(sut.read(() => Promise.resolve(2))).resolves.toBe(2);
  });

  it('still tries writes while open, and a write that succeeds closes the breaker', async () => {
    await sut.read(() => Promise.reject(down())).catch(() => undefined);
    await expect(sut.write(() => Promise.resolve('written'))).resolves.toBe('written');
    expect(circuits.database.state).toBe('closed');
  });

  it('gives up at the deadline (connect timeout + 1 s) and drops the transaction connection', async () => {
    const destroy = jest.fn();
    const runner = { databaseConnection: { connection: { stream: { destroy } } } };
    const pending = sut.write(async (deadline) => {
      deadline.hold(runner as unknown as QueryRunner);
      return never();
    });
    const outcome = expect(pending).rejects.toBeInstanceOf(DatabaseUnavailableError);
    jest.advanceTimersByTime(1999);
    expect(destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    await outcome;
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(circuits.database.state).toBe('open');
  });

  it('refuses to start a transaction whose write has already passed its deadline', async () => {
    let hold: ((runner: QueryRunner) => void) | undefined;
    const pending = sut.write((deadline) => {
      hold = (r) => deadline.hold(r);
      return never();
    });
    const outcome = expect(pending).rejects.toBeInstanceOf(DatabaseUnavailableError);
    jest.advanceTimersByTime(2000);
    await outcome;
    expect(() => hold!({} as QueryRunner)).toThrow(DatabaseUnavailableError);
  });
});
