import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_USER_ID_LENGTH } from '@app/cache';

export class UserQuery {
  @IsOptional()
  @IsString({ message: 'user_id must be a single string' })
  @MaxLength(MAX_USER_ID_LENGTH, {
    message: `user_id must be at most ${MAX_USER_ID_LENGTH} characters`,
  })
  user_id?: string;
}
