import { BadRequestException, ValidationError } from '@nestjs/common';
import { validationOptions } from './validation';

const error = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError => ({ property, constraints, children });

const respond = (errors: ValidationError[]) => {
  const exception = validationOptions.exceptionFactory!(errors) as BadRequestException;
  expect(exception).toBeInstanceOf(BadRequestException);
  expect(exception.getStatus()).toBe(400);
  return exception.getResponse();
};

describe('validationOptions', () => {
  it('transforms (query strings become numbers and booleans through the DTOs)', () => {
    expect(validationOptions.transform).toBe(true);
  });

  it('answers one 400 shape: a sentence naming the fields, the first field, every problem', () => {
    expect(
      respond([
        error('rollout_percentage', { max: 'rollout_percentage must be at most 100' }),
        error('enabled', { isBoolean: 'enabled must be true or false', other: 'second problem' }),
      ]),
    ).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'rollout_percentage must be at most 100; enabled must be true or false; second problem',
      field: 'rollout_percentage',
      errors: [
        { field: 'rollout_percentage', message: 'rollout_percentage must be at most 100' },
        { field: 'enabled', message: 'enabled must be true or false' },
        { field: 'enabled', message: 'second problem' },
      ],
    });
  });

  it('names nested fields by their path', () => {
    const nested = error('metadata', undefined, [
      error('owner', undefined, [error('name', { isString: 'name must be a string' })]),
    ]);
    expect(respond([nested])).toMatchObject({
      field: 'metadata.owner.name',
      errors: [{ field: 'metadata.owner.name', message: 'name must be a string' }],
    });
  });

  it('says which field is unknown instead of class-validator\'s "property x should not exist"', () => {
    expect(
      respond([
        error('rollout_percent', {
          whitelistValidation: 'property rollout_percent should not exist',
        }),
      ]),
    ).toMatchObject({
      message: 'rollout_percent is not a known field',
      field: 'rollout_percent',
      errors: [{ field: 'rollout_percent', message: 'rollout_percent is not a known field' }],
    });
    // Only a message that starts so: a field whose own message mentions "property " keeps it.
    expect(respond([error('x', { c: 'x: the property is wrong' })])).toMatchObject({
      message: 'x: the property is wrong',
    });
  });

  it('has no field when there is no error to name', () => {
    expect(respond([])).toMatchObject({ message: '', field: undefined, errors: [] });
  });

  it('reads an error without children or constraints (as class-validator may leave them)', () => {
    const bare = {
      property: 'enabled',
      constraints: { isBoolean: 'enabled must be true or false' },
    };
    expect(respond([bare, { property: 'x' }])).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'enabled must be true or false',
      field: 'enabled',
      errors: [{ field: 'enabled', message: 'enabled must be true or false' }],
    });
  });
});
