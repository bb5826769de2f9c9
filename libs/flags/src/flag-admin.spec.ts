import type { Condition } from '@app/flag-model';
import { FlagsError, FlagsErrorCode } from './flags.errors';
import { flagServices } from './testing/fixtures';

const IN_DE: Condition = {
  attribute: 'country',
  operator: 'IN',
  values: ['DE'],
  inverted: false,
  case_insensitive: false,
};
const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as FlagsError;
  }
  throw new Error('expected a rejection');
};

describe('FlagAdmin', () => {
  it('creates a disabled boolean flag at 100% with the fields given', async () => {
    const { admin } = flagServices();
    const res = await admin.update('f', { metadata: { owner: 'x' }, definition: {} }, 'alice');
    expect(res).toMatchObject({
      created: true,
      action: 'create',
      flag_data: {
        enabled: false,
        rollout_percentage: 100,
        metadata: { owner: 'x' },
        type: 'boolean',
        rules: [],
      },
    });
  });

  it('keeps the fields a patch leaves out, and replaces rules whole', async () => {
    const { admin, repository } = flagServices();
    repository.seed('f', {
      enabled: true,
      rollout_percentage: 30,
      rules: [{ conditions: [IN_DE], rollout_percentage: 100 }],
    });
    const res = await admin.update('f', { definition: { rules: [] } }, 'alice');
    expect(res.flag_data).toMatchObject({ enabled: true, rollout_percentage: 30, rules: [] });
  });

  it('refuses an invalid merged definition with the field, writing nothing', async () => {
    const { admin, repository } = flagServices();
    repository.seed('f');
    const error = await rejection(
      admin.update('f', { definition: { type: 'string' } }, 'alice'), // a string flag needs variants
    );
    expect(error).toBeInstanceOf(FlagsError);
    expect(error.code).toBe(FlagsErrorCode.InvalidDefinition);
    expect(typeof error.details.field).toBe('string');
    expect((await repository.findByName('f'))?.type).toBe('boolean');
    expect(await repository.history('f', 10)).toEqual([]);
  });

  it('refuses a write whose expected_revision is not the current one, with the flag as it is', async () => {
    const { admin, repository } = flagServices();
    const seeded = repository.seed('f', { rollout_percentage: 10 });
    const error = await rejection(
      admin.update(
        'f',
        { rolloutPercentage: 90, expectedRevision: seeded.revision - 1, definition: {} },
        'a',
      ),
    );
    expect(error.code).toBe(FlagsErrorCode.RevisionConflict);
    expect(error.details).toMatchObject({
      field: 'expected_revision',
      current: { flag_name: 'f', revision: seeded.revision, flag_data: { rollout_percentage: 10 } },
    });
    const ok = await admin.update(
      'f',
      { rolloutPercentage: 90, expectedRevision: seeded.revision, definition: {} },
      'a',
    );
    expect(ok.flag_data.rollout_percentage).toBe(90);
  });

  it('drops the variants when a flag becomes boolean', async () => {
    const { admin, repository } = flagServices();
    repository.seed('f', {
      type: 'string',
      variants: [{ name: 'a', value: 'x', weight: 0 }],
      default_variant: 'a',
    });
    const res = await admin.update('f', { definition: { type: 'boolean' } }, 'a');
    expect(res.flag_data).toMatchObject({ type: 'boolean', variants: [], default_variant: null });
  });

  it('treats expected_revision 0 as "must not exist yet"', async () => {
    const { admin } = flagServices();
    await admin.update('g', { enabled: true, expectedRevision: 0, definition: {} }, 'a');
    const error = await rejection(
      admin.update('g', { enabled: false, expectedRevision: 0, definition: {} }, 'a'),
    );
    expect(error.code).toBe(FlagsErrorCode.RevisionConflict);
  });

  it('makes the new revision current in this instance at once (read-your-writes)', async () => {
    const { admin, reader, repository } = flagServices();
    repository.seed('f', { enabled: false });
    await reader.load('f');
    const res = await admin.update('f', { enabled: true, definition: {} }, 'a');
    expect(reader.peek('f')).toBeUndefined(); // the old definition is no longer current
    const loaded = await reader.load('f');
    expect(loaded).toMatchObject({
      cache: 'miss',
      flag: { enabled: true, revision: res.revision },
    });
  });

  it('archives: the flag is then unknown, and its history ends with the archive', async () => {
    const { admin, reader } = flagServices();
    await admin.update('f', { enabled: true, definition: {} }, 'a');
    await admin.archive('f', 'b');
    expect((await rejection(reader.load('f'))).code).toBe(FlagsErrorCode.FlagNotFound);
    const history = await admin.history('f', 10);
    expect(history.entries.map((e) => e.action)).toEqual(['archive', 'create']);
    expect(history.entries[0]).toMatchObject({ actor: 'b', after: null });
  });
});
