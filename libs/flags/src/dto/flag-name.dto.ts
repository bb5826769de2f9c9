import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Letters, digits, `_`, `-` and `.`, 1 to 128 characters; `.` and `..` alone are refused (path-like). */
export const FLAG_NAME_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,128}$/;

export class FlagNameParams {
  @ApiProperty({ pattern: FLAG_NAME_PATTERN.source, maxLength: 128, example: 'new_checkout_flow' })
  @Matches(FLAG_NAME_PATTERN, {
    message: 'flag_name must be 1-128 characters of letters, digits, "_", "-" or "."',
  })
  flag_name!: string;
}
