/** Domain errors carry a code; the HTTP status for each code is decided in one place (the API's exception filter). */
export enum FlagsErrorCode {
  FlagNotFound = 'FLAG_NOT_FOUND',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
}

export class FlagsError extends Error {
  constructor(
    readonly code: FlagsErrorCode,
    message: string,
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
}
