/** Domain errors carry a code; the HTTP status for each code is decided in one place (the API's exception filter). */
export enum FlagsErrorCode {
  FlagNotFound = 'FLAG_NOT_FOUND',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** The definition a write would produce is not valid; `field` names the first bad part. */
  InvalidDefinition = 'INVALID_DEFINITION',
  /** The write named an `expected_revision` that the flag has moved on from. */
  RevisionConflict = 'REVISION_CONFLICT',
}

export class FlagsError extends Error {
  constructor(
    readonly code: FlagsErrorCode,
    message: string,
    /** Fields added to the error response (`field`, and for a conflict the flag as it is now). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FlagsError';
  }

  static notFound(name: string): FlagsError {
    return new FlagsError(FlagsErrorCode.FlagNotFound, `flag '${name}' does not exist`);
  }

  static databaseUnavailable(action: string): FlagsError {
    return new FlagsError(
      FlagsErrorCode.DatabaseUnavailable,
      `database unavailable: ${action}; retry shortly`,
    );
  }

  static invalid(field: string, message: string): FlagsError {
    return new FlagsError(FlagsErrorCode.InvalidDefinition, message, { field });
  }

  static conflict(name: string, expected: number, current: object): FlagsError {
    return new FlagsError(
      FlagsErrorCode.RevisionConflict,
      `flag '${name}' has changed since revision ${expected}: nothing was written; review the current version and retry`,
      { field: 'expected_revision', current },
    );
  }
}
