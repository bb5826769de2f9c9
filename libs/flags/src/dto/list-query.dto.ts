import { BadRequestException, PipeTransform } from '@nestjs/common';

const MESSAGE = 'archived must be true or false';

/** Which flags `GET /flags` lists. */
export type ListScope = 'live' | 'archived';

/**
 * `GET /flags?archived=`: absent or `false` lists the live flags (the seed's list, cached);
 * `true` lists the archived ones instead. A pipe rather than a query DTO: the list is a hot
 * read, and one optional parameter is not worth a class-transformer pass on every call. It
 * answers a string scope, not a boolean: for a boolean parameter the global ValidationPipe would
 * turn every value but "true" into false before this pipe could refuse it.
 */
export class ParseArchivedPipe implements PipeTransform<unknown, ListScope> {
  transform(value: unknown): ListScope {
    if (value === undefined || value === 'false') return 'live';
    if (value === 'true') return 'archived';
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: MESSAGE,
      field: 'archived',
      errors: [{ field: 'archived', message: MESSAGE }],
    });
  }
}
