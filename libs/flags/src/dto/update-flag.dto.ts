import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import type { FlagPatch } from '../flags.repository';
import { findUnstorableString } from '../json-values';

const ENABLED_MESSAGE = 'enabled must be true or false';
const ROLLOUT_MESSAGE = 'rollout_percentage must be an integer from 0 to 100';
const MAX_METADATA_BYTES = 16 * 1024;

// Query strings arrive as text: convert only exact spellings, leave anything else for the validator to reject.
const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const queryInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,4}$/.test(value) ? Number(value) : value;

@ValidatorConstraint({ name: 'metadataSize' })
class MetadataSize implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    // UTF-8 bytes, what PostgreSQL stores and the limit promises; not UTF-16 characters.
    return Buffer.byteLength(JSON.stringify(value ?? {})) <= MAX_METADATA_BYTES;
  }
  defaultMessage(): string {
    return `metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`;
  }
}

/**
 * Like @IsOptional, but only an absent field is skipped: class-validator's @IsOptional also lets
 * `null` through, and no field of a flag may be null.
 */
const Absent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** `POST /flags/:flag_name/update?enabled=true&rollout_percentage=75` (the seed's form). */
export class UpdateFlagQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: ENABLED_MESSAGE })
  enabled?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'New flags default to 100' })
  @IsOptional()
  @Transform(queryInteger)
  @IsInt({ message: ROLLOUT_MESSAGE })
  @Min(0, { message: ROLLOUT_MESSAGE })
  @Max(100, { message: ROLLOUT_MESSAGE })
  rollout_percentage?: number;
}

/** The same fields as a JSON body, plus `metadata` (replaced as a whole, not merged). */
export class UpdateFlagBody {
  @ApiPropertyOptional()
  @Absent()
  @IsBoolean({ message: ENABLED_MESSAGE })
  enabled?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'New flags default to 100' })
  @Absent()
  @IsInt({ message: ROLLOUT_MESSAGE })
  @Min(0, { message: ROLLOUT_MESSAGE })
  @Max(100, { message: ROLLOUT_MESSAGE })
  rollout_percentage?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Replaces the metadata as a whole; at most 16 KiB of JSON',
  })
  @Absent()
  @IsObject({ message: 'metadata must be a JSON object' })
  @Validate(MetadataSize)
  metadata?: Record<string, unknown>;
}

/** Merges query and body; a field given in both with different values is ambiguous and refused. */
export function toFlagPatch(query: UpdateFlagQuery, body: UpdateFlagBody | undefined): FlagPatch {
  const b = body ?? {};
  for (const field of ['enabled', 'rollout_percentage'] as const) {
    if (query[field] !== undefined && b[field] !== undefined && query[field] !== b[field]) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field} is given in both the query and the body with different values`,
        field,
      });
    }
  }
  const unstorable = findUnstorableString(b, '');
  if (unstorable !== undefined) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `${unstorable} contains a character that cannot be stored (NUL or an unpaired surrogate)`,
      field: unstorable,
    });
  }
  const patch: FlagPatch = {
    enabled: query.enabled ?? b.enabled,
    rolloutPercentage: query.rollout_percentage ?? b.rollout_percentage,
    metadata: b.metadata,
  };
  if (
    patch.enabled === undefined &&
    patch.rolloutPercentage === undefined &&
    patch.metadata === undefined
  ) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'nothing to update: give enabled, rollout_percentage or metadata',
      field: 'enabled',
    });
  }
  return patch;
}
