import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { validationOptions } from '../validation';
import { FLAG_NAME_PATTERN, FlagNameParams } from './flag-name.dto';
import { HistoryQuery } from './history-query.dto';
import { parseContext } from '../http/request-context';

// The app's global pipe: lenient about unknown fields on reads.
const pipe = new ValidationPipe(validationOptions);
const parse = <T>(metatype: new () => T, value: unknown, type: 'query' | 'param' = 'query') =>
  pipe.transform(value, { type, metatype }) as Promise<T>;

async function rejection(promise: Promise<unknown>): Promise<{ field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { field?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('flag names', () => {
  it.each(['a', 'new_checkout_flow', 'A-b_c.d', '...', 'x'.repeat(128), '0'])(
    'accepts %s',
    async (flag_name) => {
      expect(FLAG_NAME_PATTERN.test(flag_name)).toBe(true);
      expect(await parse(FlagNameParams, { flag_name }, 'param')).toEqual({ flag_name });
    },
  );

  it.each(['', '.', '..', 'x'.repeat(129), 'a/b', 'a b', 'ü', 'a\nb', '\nab'])(
    'refuses %j naming flag_name',
    async (flag_name) => {
      expect(FLAG_NAME_PATTERN.test(flag_name)).toBe(false);
      const error = await rejection(parse(FlagNameParams, { flag_name }, 'param'));
      expect(error.field).toBe('flag_name');
      expect(error.message).toBe(
        'flag_name must be 1-128 characters of letters, digits, "_", "-" or "."',
      );
    },
  );
});

describe('user_id and attributes', () => {
  const contextError = (query: Record<string, unknown>) => {
    try {
      parseContext(query);
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as BadRequestException).getResponse() as { field?: string; message: string };
    }
    throw new Error('expected a rejection');
  };

  it('is optional, any string up to 256 characters, and every other parameter is an attribute', () => {
    expect(parseContext({})).toMatchObject({ userId: undefined, hasAttributes: false });
    expect(parseContext({ user_id: 'ü'.repeat(256) }).userId).toBe('ü'.repeat(256));
    expect(parseContext({ user_id: 'u', country: 'DE' })).toMatchObject({
      userId: 'u',
      hasAttributes: true,
      attributes: { country: 'DE' },
    });
  });

  it('refuses a longer user id, one given twice, and a repeated attribute', () => {
    expect(contextError({ user_id: 'u'.repeat(257) })).toMatchObject({
      field: 'user_id',
      message: 'user_id must be at most 256 characters',
    });
    expect(contextError({ user_id: ['a', 'b'] })).toMatchObject({ field: 'user_id' });
    expect(contextError({ country: ['DE', 'FR'] })).toMatchObject({ field: 'country' });
    expect(contextError({ country: 'x'.repeat(1025) })).toMatchObject({ field: 'country' });
  });
});

describe('history page', () => {
  it('defaults to 20 entries and reads limit and cursor from the query', async () => {
    expect(await parse(HistoryQuery, {})).toEqual({ limit: 20 });
    expect(await parse(HistoryQuery, { limit: '1', cursor: '0' })).toEqual({
      limit: 1,
      cursor: '0',
    });
    // The largest PostgreSQL bigint, the largest history id there can be.
    expect(await parse(HistoryQuery, { limit: '100', cursor: '9223372036854775807' })).toEqual({
      limit: 100,
      cursor: '9223372036854775807',
    });
  });

  it.each([['0'], ['101'], ['1000'], ['10000'], ['2.5'], ['-1'], ['ten'], [''], [['5', '6']]])(
    'refuses limit=%j naming limit',
    async (limit) => {
      const error = await rejection(parse(HistoryQuery, { limit }));
      expect(error.field).toBe('limit');
      expect(error.message).toContain('limit must be an integer from 1 to 100');
    },
  );

  it.each([['abc'], ['1'.repeat(20)], ['9'.repeat(19)], ['-5'], ['12a'], ['a12']])(
    'refuses cursor=%j naming cursor',
    async (cursor) => {
      expect(await rejection(parse(HistoryQuery, { cursor }))).toMatchObject({
        field: 'cursor',
        message: 'cursor must be the next_cursor of a previous page',
      });
    },
  );
});
