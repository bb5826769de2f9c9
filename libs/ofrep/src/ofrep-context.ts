import type { EvaluationContext } from '@app/flag-model';
import { OfrepError } from './ofrep-error';

/** Longest attribute value taken from a context (as for query attributes on the REST reads). */
const MAX_VALUE_LENGTH = 1024;

/**
 * The evaluation context of an OFREP request body `{"context": {...}}`: `targetingKey` is the
 * user id; every other string, number or boolean is an attribute, as a string (targeting rules
 * compare strings, and NUM_* / SEMVER_* / DATE_* parse them). Objects, arrays and nulls are not
 * attributes and are ignored, as OpenFeature providers for other services do. A missing
 * targetingKey is not an error: whatever needs a bucket treats the user as outside.
 */
export function ofrepContext(body: unknown, key?: string): EvaluationContext {
  if (body === undefined || body === null) return { userId: undefined, attributes: {} };
  if (typeof body !== 'object' || Array.isArray(body))
    throw OfrepError.invalidContext('the request body must be a JSON object with a context', key);
  const context = (body as { context?: unknown }).context;
  if (context === undefined) return { userId: undefined, attributes: {} };
  if (context === null || typeof context !== 'object' || Array.isArray(context))
    throw OfrepError.invalidContext('context must be a JSON object', key);
  const attributes: Record<string, string> = {};
  let userId: string | undefined;
  for (const [name, value] of Object.entries(context as Record<string, unknown>)) {
    if (name === 'targetingKey') {
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string')
        throw OfrepError.invalidContext('context.targetingKey must be a string', key);
      if (value.length > 256)
        throw OfrepError.invalidContext('context.targetingKey must be at most 256 characters', key);
      userId = value === '' ? undefined : value;
      continue;
    }
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else continue;
    if (text.length > MAX_VALUE_LENGTH || text.includes('\u0000'))
      throw OfrepError.invalidContext(
        `context.${name} must be at most ${MAX_VALUE_LENGTH} characters, without U+0000`,
        key,
      );
    attributes[name] = text;
  }
  return { userId, attributes };
}
