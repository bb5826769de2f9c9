import { BadRequestException } from '@nestjs/common';
import { ParseArchivedPipe } from './list-query.dto';

describe(ParseArchivedPipe.name, () => {
  const sut = new ParseArchivedPipe();

  it.each([
    [undefined, 'live'],
    ['false', 'live'],
    ['true', 'archived'],
  ])('reads archived=%s as %s', (value, expected) => {
    expect(sut.transform(value)).toBe(expected);
  });

  it.each(['', '1', 'yes', 'TRUE', ['true', 'true']])(
    'refuses archived=%j with a 400 naming the field',
    (value) => {
      let thrown: unknown;
      try {
        sut.transform(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(BadRequestException);
      expect((thrown as BadRequestException).getResponse()).toMatchObject({
        statusCode: 400,
        field: 'archived',
        message: 'archived must be true or false',
      });
    },
  );
});
