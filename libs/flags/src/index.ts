export { FlagsModule } from './flags.module';
export { FlagsService } from './flags.service';
export { FlagsError, FlagsErrorCode } from './flags.errors';
export { FLAG_NAME_PATTERN } from './dto/flag-name.dto';
export { validationOptions } from './validation';
export { findTooDeep, findUnstorableString } from './json-values';
