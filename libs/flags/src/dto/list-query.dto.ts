import { BadRequestException, PipeTransform } from '@nestjs/common';

const MESSAGE = 'archived must be true or false';

/**
 * `GET /flags?archived=`: absent or `false` lists the live flags (the seed's list, cached);
 * `true` lists the archived ones instead. A pipe rather than a query DTO: the list is a hot
 * read, and one optional flag is not worth a class-transformer pass on every call.
 */
export class ParseArchivedPipe implements PipeTransform<unknown, boolean> {
  transform(value: unknown): boolean {
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: MESSAGE,
      field: 'archived',
      errors: [{ field: 'archived', message: MESSAGE }],
    });
  }
}
