import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OPERATORS } from '@app/flag-model';
import type { FlagType, Reason, Rule, Variant, VariantValue } from '@app/flag-model';
import type { ChangeAction, HistoryEntry } from '../flags.repository';
import type {
  CurrentFlagBody,
  FlagArchiveBody,
  FlagHistoryBody,
  FlagInvalidateBody,
  FlagUpdateBody,
} from '../flag-admin';
import type { CheckBody, FlagDetailsBody, FlagListBody, FlagListItem } from '../presenters';
import type { FlagState } from '../flag.entity';

// OpenAPI shapes of the responses. Each class implements the interface the service returns,
// so the documentation cannot drift from the code without a compile error.

const CACHE = {
  enum: ['hit', 'miss', 'stale'],
  description:
    'hit: from a cache; miss: loaded from PostgreSQL; stale: last known data, PostgreSQL down',
};

const UPDATED_AT = {
  type: String,
  format: 'date-time',
  nullable: true,
  description: 'When the flag was last created, updated, restored or archived',
};
const UPDATED_BY = {
  type: String,
  nullable: true,
  description:
    'Who did it (the admin token’s name); null for flags never changed through the API (the seed)',
};

const TYPES: FlagType[] = ['boolean', 'string', 'number', 'object'];
const REASONS: Reason[] = ['DISABLED', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'STATIC'];

export class VariantDoc implements Variant {
  @ApiProperty({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }) name!: string;
  @ApiProperty({ description: 'Matches the flag type' }) value!: VariantValue;
  @ApiProperty({ minimum: 0, maximum: 1000 }) weight!: number;
}

export class ConditionDoc {
  @ApiProperty({ description: '`user_id` is the user id' }) attribute!: string;
  @ApiProperty({ enum: OPERATORS }) operator!: (typeof OPERATORS)[number];
  @ApiProperty({ type: [String] }) values!: string[];
  @ApiProperty() inverted!: boolean;
  @ApiProperty() case_insensitive!: boolean;
}

export class RuleDoc implements Rule {
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ type: [ConditionDoc] }) conditions!: ConditionDoc[];
  @ApiProperty({ minimum: 0, maximum: 100 }) rollout_percentage!: number;
  @ApiPropertyOptional() variant?: string;
}

export class FlagDataDoc implements FlagState {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ minimum: 0, maximum: 100 }) rollout_percentage!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ enum: TYPES }) type!: FlagType;
  @ApiProperty({ type: [VariantDoc] }) variants!: VariantDoc[];
  @ApiProperty({ type: String, nullable: true }) default_variant!: string | null;
  @ApiProperty({ type: [RuleDoc] }) rules!: RuleDoc[];
}

export class CheckDoc implements CheckBody {
  @ApiProperty({ description: 'Whether the flag is on for this user' }) enabled!: boolean;
  @ApiProperty(CACHE) _cache!: 'hit' | 'miss' | 'stale';
}

export class DetailsDoc implements FlagDetailsBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ description: 'Whether the flag is on for this user' }) enabled!: boolean;
  @ApiProperty({ type: FlagDataDoc }) flag_data!: FlagDataDoc;
  @ApiProperty({
    description: 'The flag’s revision; send it as expected_revision to update safely',
  })
  revision!: number;
  @ApiProperty(UPDATED_AT) updated_at!: string | null;
  @ApiProperty(UPDATED_BY) updated_by!: string | null;
  @ApiProperty({
    description: 'The value served to this user (false/true, or the variant’s value)',
  })
  value!: VariantValue;
  @ApiProperty({ description: 'The variant served (`on`/`off` for boolean flags)' })
  variant!: string;
  @ApiProperty({ enum: REASONS }) reason!: Reason;
  @ApiProperty({ type: Number, nullable: true, description: 'The rule that decided, if any' })
  rule_index!: number | null;
  @ApiProperty(CACHE) _cache!: 'hit' | 'miss' | 'stale';
}

export class ListItemDoc extends FlagDataDoc implements FlagListItem {
  @ApiProperty() flag_name!: string;
  @ApiProperty() revision!: number;
  @ApiProperty(UPDATED_AT) updated_at!: string | null;
  @ApiProperty(UPDATED_BY) updated_by!: string | null;
}

export class ListDoc implements FlagListBody {
  @ApiProperty({ type: [ListItemDoc] }) flags!: ListItemDoc[];
  @ApiProperty() count!: number;
  @ApiProperty(CACHE) _cache!: 'hit' | 'miss' | 'stale';
}

const ACTIONS: ChangeAction[] = ['create', 'update', 'restore', 'archive'];

export class UpdateDoc implements FlagUpdateBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ description: 'True when this call created the flag' }) created!: boolean;
  @ApiProperty({ enum: ACTIONS }) action!: ChangeAction;
  @ApiProperty({ description: 'The flag’s new revision (its cache generation)' }) revision!: number;
  @ApiProperty({ type: FlagDataDoc }) flag_data!: FlagDataDoc;
}

export class CurrentFlagDoc implements CurrentFlagBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty() archived!: boolean;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: FlagDataDoc }) flag_data!: FlagDataDoc;
}

export class ConflictDoc {
  @ApiProperty({ enum: [409] }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['expected_revision'] }) field!: string;
  @ApiProperty({ type: CurrentFlagDoc }) current!: CurrentFlagDoc;
}

export class InvalidateDoc implements FlagInvalidateBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ example: ['check', 'endpoint', 'service', 'list'] }) invalidated!: string[];
  @ApiProperty() revision!: number;
}

export class ArchiveDoc implements FlagArchiveBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ enum: [true] }) archived!: true;
  @ApiProperty() revision!: number;
}

export class HistoryEntryDoc implements HistoryEntry {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ACTIONS }) action!: ChangeAction;
  @ApiProperty({ description: 'Name of the admin token that made the change' }) actor!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: FlagDataDoc, nullable: true }) before!: FlagDataDoc | null;
  @ApiPropertyOptional({ type: FlagDataDoc, nullable: true }) after!: FlagDataDoc | null;
}

export class HistoryDoc implements FlagHistoryBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ type: [HistoryEntryDoc] }) entries!: HistoryEntryDoc[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  next_cursor!: string | null;
}

export class ErrorDoc {
  @ApiProperty() statusCode!: number;
  @ApiProperty({ description: 'What is wrong, naming the field' }) message!: string;
  @ApiPropertyOptional({ description: 'The offending field, for validation errors' })
  field?: string;
}
