export { FlagsModule } from './flags.module';
export { FlagReader, Loaded, LoadedAll } from './flag-reader';
export { FlagsError, FlagsErrorCode } from './flags.errors';
export { FLAG_NAME_PATTERN } from './dto/flag-name.dto';
export { validationOptions } from './validation';
export { findTooDeep } from './json-values';
export { ChangeLog } from './change-log';
