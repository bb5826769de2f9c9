import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseInterceptors,
  ValidationPipe,
} from '@nestjs/common';
import { Actor, AdminOnly } from '@app/auth';
import { CheckCacheInterceptor, EndpointCacheInterceptor } from '@app/cache';
import { FlagNameParams } from './dto/flag-name.dto';
import { HistoryQuery } from './dto/history-query.dto';
import { toFlagPatch, UpdateFlagBody, UpdateFlagQuery } from './dto/update-flag.dto';
import { UserQuery } from './dto/user-query.dto';
import { FlagsService } from './flags.service';
import { validationOptions } from './validation';

// Writes refuse unknown fields (a typo like `rollout_percent=75` must not be silently ignored);
// reads ignore them, so clients may add cache-busting or tracing parameters. The global pipe
// (lenient) runs before this one, so it must not strip unknown fields.
const strict = new ValidationPipe({
  ...validationOptions,
  whitelist: true,
  forbidNonWhitelisted: true,
});

@Controller('flags')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  list() {
    return this.flags.list();
  }

  @Get(':flag_name/check')
  @UseInterceptors(CheckCacheInterceptor)
  check(@Param() { flag_name }: FlagNameParams, @Query() { user_id }: UserQuery) {
    return this.flags.check(flag_name, user_id);
  }

  @Get(':flag_name')
  @UseInterceptors(EndpointCacheInterceptor)
  details(@Param() { flag_name }: FlagNameParams, @Query() { user_id }: UserQuery) {
    return this.flags.details(flag_name, user_id);
  }

  @Post(':flag_name/update')
  @HttpCode(200)
  @AdminOnly()
  update(
    @Param() { flag_name }: FlagNameParams,
    @Query(strict) query: UpdateFlagQuery,
    @Body(strict) body: UpdateFlagBody,
    @Actor() actor: string,
  ) {
    return this.flags.update(flag_name, toFlagPatch(query, body), actor);
  }

  @Delete(':flag_name/cache')
  @AdminOnly()
  invalidate(@Param() { flag_name }: FlagNameParams) {
    return this.flags.invalidate(flag_name);
  }

  @Delete(':flag_name')
  @AdminOnly()
  archive(@Param() { flag_name }: FlagNameParams, @Actor() actor: string) {
    return this.flags.archive(flag_name, actor);
  }

  @Get(':flag_name/history')
  @AdminOnly()
  history(@Param() { flag_name }: FlagNameParams, @Query(strict) { limit, cursor }: HistoryQuery) {
    return this.flags.history(flag_name, limit, cursor);
  }
}
