import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
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
import { findUnstorableString, OPERATORS, parseDefinitionPatch } from '@app/flag-model';
import type { FlagPatch } from '../flag-admin';

const ENABLED_MESSAGE = 'enabled must be true or false';
const ROLLOUT_MESSAGE = 'rollout_percentage must be an integer from 0 to 100';
const MAX_METADATA_BYTES = 16 * 1024;

// Query strings arrive as text: convert only exact spellings, leave anything else for the validator to reject.
const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const queryInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,4}$/.test(value) ? Number(value) : value;
const queryRevision = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
const REVISION_MESSAGE =
  'expected_revision must be a non-negative integer (0: the flag must not exist yet)';

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
  @ApiPropertyOptional({
    description: 'Refuse the write (409) unless the flag is at this revision',
  })
  @IsOptional()
  @Transform(queryRevision)
  @IsInt({ message: REVISION_MESSAGE })
  @Min(0, { message: REVISION_MESSAGE })
  @Max(Number.MAX_SAFE_INTEGER, { message: REVISION_MESSAGE })
  expected_revision?: number;
}

// Stryker disable all: OpenAPI documentation of a condition (used only by @ApiPropertyOptional
// below), checked by the e2e suite through /docs-json, as stryker/openapi-ignorer.mjs says.
const CONDITION_SCHEMA = {
  type: 'object',
  required: ['attribute', 'operator', 'values'],
  properties: {
    attribute: { type: 'string', example: 'country', description: '`user_id` is the user id' },
    operator: { type: 'string', enum: [...OPERATORS] },
    values: { type: 'array', items: { type: 'string' }, maxItems: 1000, example: ['DE', 'AT'] },
    inverted: { type: 'boolean', default: false },
    case_insensitive: { type: 'boolean', default: false, description: 'STR_* operators' },
  },
};
// Stryker restore all

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

  // The definition fields are checked whole by the flag model (parseDefinitionPatch), which
  // names the first bad part by its path (`rules[2].conditions[0].operator`); class-validator
  // only lets them through.
  @ApiPropertyOptional({ enum: ['boolean', 'string', 'number', 'object'], default: 'boolean' })
  @Allow()
  type?: unknown;
  @ApiPropertyOptional({
    description:
      'Non-boolean flags: the values it can serve. Weights (0–1000) sum to 1000 to split users, or are all 0.',
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'value', 'weight'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
        value: { description: 'Matches the flag type' },
        weight: { type: 'integer', minimum: 0, maximum: 1000 },
      },
    },
  })
  @Allow()
  variants?: unknown;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Non-boolean flags: the variant served when the flag is off for a user',
  })
  @Allow()
  default_variant?: unknown;
  @ApiPropertyOptional({
    description: 'Ordered; the first rule whose conditions all hold decides (at most 50)',
    type: 'array',
    items: {
      type: 'object',
      required: ['conditions'],
      properties: {
        name: { type: 'string' },
        conditions: { type: 'array', items: CONDITION_SCHEMA, maxItems: 20 },
        rollout_percentage: { type: 'integer', minimum: 0, maximum: 100, default: 100 },
        variant: { type: 'string', description: 'Variant served when the rule turns the flag on' },
      },
    },
  })
  @Allow()
  rules?: unknown;
  @ApiPropertyOptional({
    description:
      'Refuse the write (409) unless the flag is at this revision; 0: it must not exist yet',
  })
  @IsOptional()
  @IsInt({ message: REVISION_MESSAGE })
  @Min(0, { message: REVISION_MESSAGE })
  @Max(Number.MAX_SAFE_INTEGER, { message: REVISION_MESSAGE })
  expected_revision?: number;
}

const badRequest = (field: string, message: string) =>
  new BadRequestException({ statusCode: 400, error: 'Bad Request', message, field });

/** Merges query and body; a field given in both with different values is ambiguous and refused. */
export function toFlagPatch(query: UpdateFlagQuery, body: UpdateFlagBody | undefined): FlagPatch {
  const b = body ?? {};
  for (const field of ['enabled', 'rollout_percentage', 'expected_revision'] as const) {
    if (query[field] !== undefined && b[field] !== undefined && query[field] !== b[field])
      throw badRequest(
        field,
        `${field} is given in both the query and the body with different values`,
      );
  }
  // Strings PostgreSQL cannot store (NUL, lone surrogates) are refused by name before anything
  // is written; the definition fields are checked by the flag model, which does the same.
  const unstorable = findUnstorableString(b.metadata, 'metadata');
  if (unstorable !== null) throw badRequest(unstorable.field, unstorable.message);
  const parsed = parseDefinitionPatch(b);
  if ('error' in parsed) throw badRequest(parsed.error.field, parsed.error.message);
  const patch: FlagPatch = {
    enabled: query.enabled ?? b.enabled,
    rolloutPercentage: query.rollout_percentage ?? b.rollout_percentage,
    metadata: b.metadata,
    definition: parsed.patch,
    expectedRevision: query.expected_revision ?? b.expected_revision,
  };
  const d = parsed.patch;
  if (
    patch.enabled === undefined &&
    patch.rolloutPercentage === undefined &&
    patch.metadata === undefined &&
    d.type === undefined &&
    d.variants === undefined &&
    d.default_variant === undefined &&
    d.rules === undefined
  )
    throw badRequest(
      'enabled',
      'nothing to update: give enabled, rollout_percentage, metadata, type, variants, default_variant or rules',
    );
  return patch;
}
