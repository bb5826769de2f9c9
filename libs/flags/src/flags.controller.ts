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
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, AdminOnly } from '@app/auth';
import { CheckCacheInterceptor, EndpointCacheInterceptor } from '@app/cache';
import { FlagNameParams } from './dto/flag-name.dto';
import { HistoryQuery } from './dto/history-query.dto';
import {
  ArchiveDoc,
  CheckDoc,
  DetailsDoc,
  ErrorDoc,
  HistoryDoc,
  InvalidateDoc,
  ListDoc,
  UpdateDoc,
} from './dto/responses.dto';
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
@ApiTags('flags')
@ApiBadRequestResponse({
  type: ErrorDoc,
  description: 'Invalid input; `message` and `field` name the field',
})
@ApiServiceUnavailableResponse({
  type: ErrorDoc,
  description: 'PostgreSQL unavailable and nothing cached to answer from; writes are not applied',
})
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ApiOperation({ summary: 'Every live flag with its status (list cache)' })
  @ApiOkResponse({ type: ListDoc })
  list() {
    return this.flags.list();
  }

  @Get(':flag_name/check')
  @ApiOperation({ summary: 'Is the flag on for this user? The hot path (check cache, 30 s)' })
  @ApiOkResponse({ type: CheckDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @UseInterceptors(CheckCacheInterceptor)
  check(@Param() { flag_name }: FlagNameParams, @Query() { user_id }: UserQuery) {
    return this.flags.check(flag_name, user_id);
  }

  @Get(':flag_name')
  @ApiOperation({ summary: 'The flag, and whether it is on for this user (endpoint cache, 60 s)' })
  @ApiOkResponse({ type: DetailsDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @UseInterceptors(EndpointCacheInterceptor)
  details(@Param() { flag_name }: FlagNameParams, @Query() { user_id }: UserQuery) {
    return this.flags.details(flag_name, user_id);
  }

  @Post(':flag_name/update')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Update the flag, or create it; invalidates every cached layer of it everywhere',
    description:
      'Fields in the query (the seed form) or a JSON body; unknown fields are refused. Fields left out keep their value.',
  })
  @ApiBody({ type: UpdateFlagBody, required: false })
  @ApiOkResponse({ type: UpdateDoc })
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
  @ApiOperation({ summary: 'Invalidate every cached layer of the flag, on every instance' })
  @ApiOkResponse({ type: InvalidateDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  invalidate(@Param() { flag_name }: FlagNameParams) {
    return this.flags.invalidate(flag_name);
  }

  @Delete(':flag_name')
  @ApiOperation({
    summary: 'Archive the flag: checks of it answer 404 from now on; its history is kept',
  })
  @ApiOkResponse({ type: ArchiveDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  archive(@Param() { flag_name }: FlagNameParams, @Actor() actor: string) {
    return this.flags.archive(flag_name, actor);
  }

  @Get(':flag_name/history')
  @ApiOperation({ summary: 'Changes of the flag, newest first, paginated by cursor' })
  @ApiOkResponse({ type: HistoryDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  history(@Param() { flag_name }: FlagNameParams, @Query(strict) { limit, cursor }: HistoryQuery) {
    return this.flags.history(flag_name, limit, cursor);
  }
}
