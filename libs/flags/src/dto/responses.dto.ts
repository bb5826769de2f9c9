import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CheckBody, FlagDetailsBody } from '@app/cache';
import type { ChangeAction, HistoryEntry } from '../flags.repository';
import type {
  FlagArchiveBody,
  FlagHistoryBody,
  FlagInvalidateBody,
  FlagListBody,
  FlagListItem,
  FlagUpdateBody,
} from '../flags.service';
import type { FlagState } from '../flag.entity';

// OpenAPI shapes of the responses. Each class implements the interface the service returns,
// so the documentation cannot drift from the code without a compile error.

const CACHE = {
  enum: ['hit', 'miss', 'stale'],
  description:
    'hit: from a cache; miss: loaded from PostgreSQL; stale: last known data, PostgreSQL down',
};

export class FlagDataDoc implements FlagState {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ minimum: 0, maximum: 100 }) rollout_percentage!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
}

export class CheckDoc implements CheckBody {
  @ApiProperty({ description: 'Whether the flag is on for this user' }) enabled!: boolean;
  @ApiProperty(CACHE) _cache!: 'hit' | 'miss' | 'stale';
}

export class DetailsDoc implements FlagDetailsBody {
  @ApiProperty() flag_name!: string;
  @ApiProperty({ description: 'Whether the flag is on for this user' }) enabled!: boolean;
  @ApiProperty({ type: FlagDataDoc }) flag_data!: FlagDataDoc;
  @ApiProperty(CACHE) _cache!: 'hit' | 'miss' | 'stale';
}

export class ListItemDoc implements FlagListItem {
  @ApiProperty() flag_name!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() rollout_percentage!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
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
