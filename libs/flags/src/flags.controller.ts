import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiConflictResponse,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Actor, AdminOnly } from '@app/auth';
import { FlagNameParams } from './dto/flag-name.dto';
import { HistoryQuery } from './dto/history-query.dto';
import { ListScope, ParseArchivedPipe } from './dto/list-query.dto';
import {
  ArchiveDoc,
  CheckDoc,
  ConflictDoc,
  DetailsDoc,
  ErrorDoc,
  HistoryDoc,
  InvalidateDoc,
  ListDoc,
  UpdateDoc,
} from './dto/responses.dto';
import { toFlagPatch, UpdateFlagBody, UpdateFlagQuery } from './dto/update-flag.dto';
import { FlagAdmin } from './flag-admin';
import { FlagReader } from './flag-reader';
import { ArchivedListGuard } from './http/archived-list.guard';
import { CheckCacheInterceptor } from './http/check-cache.interceptor';
import { EndpointCacheInterceptor } from './http/endpoint-cache.interceptor';
import { Context, MAX_USER_ID_LENGTH, RequestContext } from './http/request-context';
import { checkOf, detailsBody, listBody } from './presenters';
import { validationOptions } from './validation';

/** OpenAPI: the evaluation context of a read (the handler reads it with @Context()). */
const ContextQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'user_id',
      required: false,
      example: 'user123',
      description: `Who is asking (at most ${MAX_USER_ID_LENGTH} characters). Without it, a partial rollout or a variant split treats the user as outside.`,
    }),
    ApiQuery({
      name: 'attributes',
      required: false,
      style: 'form',
      explode: true,
      schema: { type: 'object', additionalProperties: { type: 'string' } },
      example: { country: 'DE', app_version: '2.4.0' },
      description:
        'Every other query parameter is an attribute that targeting rules can read (`?country=DE&app_version=2.4.0`): a single string of at most 1,024 characters',
    }),
  );

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
  constructor(
    private readonly reader: FlagReader,
    private readonly admin: FlagAdmin,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every live flag with its definition, revision and last change (list cache)',
  })
  @ApiQuery({
    name: 'archived',
    required: false,
    enum: ['true', 'false'],
    description:
      '`true`: the archived flags instead (as they were when archived; admin token required, read from PostgreSQL, not cached)',
  })
  @ApiOkResponse({ type: ListDoc })
  @ApiBearerAuth('admin')
  @ApiUnauthorizedResponse({ description: '`archived=true` without an admin token' })
  @UseGuards(ArchivedListGuard)
  async list(@Query('archived', new ParseArchivedPipe()) scope: ListScope) {
    const { flags, cache } = await (scope === 'archived'
      ? this.reader.archived()
      : this.reader.all());
    return listBody(flags, cache);
  }

  @Get(':flag_name/check')
  @ApiOperation({ summary: 'Is the flag on for this user? The hot path (check cache, 30 s)' })
  @ApiOkResponse({ type: CheckDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @ContextQuery()
  @UseInterceptors(CheckCacheInterceptor)
  async check(@Param() { flag_name }: FlagNameParams, @Context() context: RequestContext) {
    const { flag, cache } = await this.reader.load(flag_name);
    return checkOf(flag, context, cache);
  }

  @Get(':flag_name')
  @ApiOperation({
    summary:
      'The flag, and its evaluation for this user: value, variant, reason (endpoint cache, 60 s)',
  })
  @ApiOkResponse({ type: DetailsDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @ContextQuery()
  @UseInterceptors(EndpointCacheInterceptor)
  async details(@Param() { flag_name }: FlagNameParams, @Context() context: RequestContext) {
    const { flag, cache } = await this.reader.load(flag_name);
    return detailsBody(flag, context, cache);
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
  @ApiConflictResponse({
    type: ConflictDoc,
    description:
      'expected_revision is not the flag’s revision: nothing written; `current` is the flag now',
  })
  @AdminOnly()
  update(
    @Param() { flag_name }: FlagNameParams,
    @Query(strict) query: UpdateFlagQuery,
    @Body(strict) body: UpdateFlagBody,
    @Actor() actor: string,
  ) {
    return this.admin.update(flag_name, toFlagPatch(query, body), actor);
  }

  @Delete(':flag_name/cache')
  @ApiOperation({ summary: 'Invalidate every cached layer of the flag, on every instance' })
  @ApiOkResponse({ type: InvalidateDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  invalidate(@Param() { flag_name }: FlagNameParams, @Actor() actor: string) {
    return this.admin.invalidate(flag_name, actor);
  }

  @Delete(':flag_name')
  @ApiOperation({
    summary: 'Archive the flag: checks of it answer 404 from now on; its history is kept',
  })
  @ApiOkResponse({ type: ArchiveDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  archive(@Param() { flag_name }: FlagNameParams, @Actor() actor: string) {
    return this.admin.archive(flag_name, actor);
  }

  @Get(':flag_name/history')
  @ApiOperation({ summary: 'Changes of the flag, newest first, paginated by cursor' })
  @ApiOkResponse({ type: HistoryDoc })
  @ApiNotFoundResponse({ type: ErrorDoc })
  @AdminOnly()
  history(@Param() { flag_name }: FlagNameParams, @Query(strict) { limit, cursor }: HistoryQuery) {
    return this.admin.history(flag_name, limit, cursor);
  }
}
