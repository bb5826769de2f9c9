import { FlagsError, FlagsErrorCode } from './flags.errors';

describe(FlagsError.name, () => {
  it.each<[string, FlagsError, FlagsErrorCode, string, Record<string, unknown>]>([
    [
      'notFound',
      FlagsError.notFound('dark_mode'),
      FlagsErrorCode.FlagNotFound,
      "flag 'dark_mode' does not exist",
      {},
    ],
    [
      'databaseUnavailable',
      FlagsError.databaseUnavailable('saving dark_mode'),
      FlagsErrorCode.DatabaseUnavailable,
      'database unavailable: saving dark_mode; retry shortly',
      {},
    ],
    [
      'invalid',
      FlagsError.invalid('rules[0].variant', 'rules[0].variant must name one of the variants'),
      FlagsErrorCode.InvalidDefinition,
      'rules[0].variant must name one of the variants',
      { field: 'rules[0].variant' },
    ],
    [
      'conflict',
      FlagsError.conflict('dark_mode', 3, { revision: 5 }),
      FlagsErrorCode.RevisionConflict,
      "flag 'dark_mode' has changed since revision 3: nothing was written; review the current version and retry",
      { field: 'expected_revision', current: { revision: 5 } },
    ],
  ])(
    '%s carries its code, a message that says what happened, and its details',
    (_, error, code, message, details) => {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('FlagsError');
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.details).toEqual(details);
    },
  );

  it('has the wire codes the API answers with', () => {
    expect(Object.values(FlagsErrorCode)).toEqual([
      'FLAG_NOT_FOUND',
      'DATABASE_UNAVAILABLE',
      'INVALID_DEFINITION',
      'REVISION_CONFLICT',
    ]);
  });
});
