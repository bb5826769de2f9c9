import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_USER_ID_LENGTH } from '@app/cache';

export class UserQuery {
  @ApiPropertyOptional({
    maxLength: 256,
    example: 'user123',
    description: 'Who is asking. Without it a flag is on only when enabled at 100%.',
  })
  @IsOptional()
  @IsString({ message: 'user_id must be a single string' })
  @MaxLength(MAX_USER_ID_LENGTH, {
    message: `user_id must be at most ${MAX_USER_ID_LENGTH} characters`,
  })
  user_id?: string;
}
