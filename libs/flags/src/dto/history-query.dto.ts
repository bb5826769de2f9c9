import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

const LIMIT_MESSAGE = 'limit must be an integer from 1 to 100';
/** History ids are PostgreSQL bigints: a cursor beyond one would fail in the database, not here. */
const MAX_BIGINT = 2n ** 63n - 1n;
const isCursor = (value: unknown) =>
  typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT;

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(100, { message: LIMIT_MESSAGE })
  limit: number = 20;

  @ApiPropertyOptional({ description: '`next_cursor` of the previous page' })
  @IsOptional()
  @ValidateBy({
    name: 'cursor',
    validator: {
      validate: isCursor,
      defaultMessage: () => 'cursor must be the next_cursor of a previous page',
    },
  })
  cursor?: string;
}
