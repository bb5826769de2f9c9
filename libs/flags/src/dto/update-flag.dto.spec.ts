import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { validationOptions } from '../validation';
import { toFlagPatch, UpdateFlagBody, UpdateFlagQuery } from './update-flag.dto';

const strict = new ValidationPipe({
  ...validationOptions,
  whitelist: true,
  forbidNonWhitelisted: true,
});
const parseQuery = (value: Record<string, unknown>) =>
  strict.transform(value, { type: 'query', metatype: UpdateFlagQuery }) as Promise<UpdateFlagQuery>;
const parseBody = (value: unknown) =>
  strict.transform(value, { type: 'body', metatype: UpdateFlagBody }) as Promise<UpdateFlagBody>;

async function rejection(promise: Promise<unknown>): Promise<{ field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { field?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('update validation', () => {
  it('turns the seed query form into typed fields', async () => {
    expect(await parseQuery({ enabled: 'true', rollout_percentage: '75' })).toEqual({
      enabled: true,
      rollout_percentage: 75,
    });
    expect(await parseQuery({ enabled: 'false', rollout_percentage: '0' })).toEqual({
      enabled: false,
      rollout_percentage: 0,
    });
  });

  it.each([
    [{ rollout_percentage: '101' }, 'rollout_percentage'],
    [{ rollout_percentage: '7.5' }, 'rollout_percentage'],
    [{ rollout_percentage: '1e2' }, 'rollout_percentage'],
    [{ rollout_percentage: ['5', '6'] }, 'rollout_percentage'],
    [{ enabled: 'TRUE' }, 'enabled'],
    [{ enabled: '' }, 'enabled'],
    [{ rolloutPercentage: '5' }, 'rolloutPercentage'],
  ])('rejects the query %j naming %s', async (query, field) => {
    const error = await rejection(parseQuery(query));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it.each([
    [{ enabled: 1 }, 'enabled'],
    [{ rollout_percentage: '50' }, 'rollout_percentage'],
    [{ metadata: [] }, 'metadata'],
    [{ metadata: { blob: 'x'.repeat(17_000) } }, 'metadata'],
  ])('rejects the body %j naming %s', async (body, field) => {
    expect((await rejection(parseBody(body))).field).toBe(field);
  });

  it('merges query and body, refusing contradictions and empty updates', () => {
    expect(toFlagPatch({ enabled: true }, { rollout_percentage: 5, metadata: { a: 1 } })).toEqual({
      enabled: true,
      rolloutPercentage: 5,
      metadata: { a: 1 },
      definition: {},
      expectedRevision: undefined,
    });
    expect(toFlagPatch({}, { rules: [] })).toMatchObject({ definition: { rules: [] } });
    expect(() => toFlagPatch({}, { rules: 'x' })).toThrow(BadRequestException);
    expect(() =>
      toFlagPatch({ expected_revision: 3 }, { expected_revision: 4, enabled: true }),
    ).toThrow(/expected_revision is given in both/);
    expect(toFlagPatch({ enabled: true }, { enabled: true })).toMatchObject({ enabled: true });
    expect(() => toFlagPatch({ enabled: true }, { enabled: false })).toThrow(BadRequestException);
    expect(() => toFlagPatch({}, undefined)).toThrow(/nothing to update/);
  });
});
