import { BadRequestException, ValidationError, ValidationPipeOptions } from '@nestjs/common';

const describe = (
  errors: ValidationError[],
  parent = '',
): Array<{ field: string; message: string }> =>
  errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...describe(e.children ?? [], field)];
  });

/**
 * One shape for every 400: `message` is a sentence that names the field, `field` names it
 * alone, `errors` lists every problem found.
 */
export const validationOptions: ValidationPipeOptions = {
  transform: true,
  exceptionFactory: (errors) => {
    const list = describe(errors).map((e) =>
      e.message.startsWith('property ')
        ? { field: e.field, message: `${e.field} is not a known field` }
        : e,
    );
    return new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: list.map((e) => e.message).join('; '),
      field: list[0]?.field,
      errors: list,
    });
  },
};
