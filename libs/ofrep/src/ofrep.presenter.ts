import { createHash } from 'node:crypto';
import {
  evaluate,
  type EvaluationContext,
  type FlagDefinition,
  type Reason,
  type VariantValue,
} from '@app/flag-model';

/** OFREP's success body (`serverEvaluationSuccess` / an item of `bulkEvaluationSuccess.flags`). */
export interface OfrepSuccess {
  key: string;
  value: VariantValue;
  reason: Reason;
  variant: string;
  metadata: Record<string, string | number | boolean>;
}

const flagMetadata = new WeakMap<FlagDefinition, Record<string, string | number | boolean>>();

/**
 * The flag's metadata as OFREP allows it: only string, number and boolean values (nested
 * objects and arrays are left out), plus the revision, which a client can report. Memoised per
 * definition object: the edge cache hands the same one until the flag changes.
 */
function metadataOf(flag: FlagDefinition): Record<string, string | number | boolean> {
  let metadata = flagMetadata.get(flag);
  if (metadata === undefined) {
    metadata = {};
    for (const [name, value] of Object.entries(flag.metadata))
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        metadata[name] = value;
    metadata.revision = flag.revision;
    flagMetadata.set(flag, metadata);
  }
  return metadata;
}

export function ofrepSuccess(flag: FlagDefinition, context: EvaluationContext): OfrepSuccess {
  const result = evaluate(flag, context);
  return {
    key: flag.name,
    value: result.value,
    reason: result.reason,
    variant: result.variant,
    metadata: metadataOf(flag),
  };
}

export interface OfrepBulk {
  body: string;
  etag: string;
}

/**
 * Every live flag evaluated for one context, serialised, with its ETag: a digest of the answers
 * themselves, so it changes exactly when an answer for this context changes (a flag's revision
 * can move without changing this user's answer, and two users see different answers).
 */
export function ofrepBulk(
  flags: readonly FlagDefinition[],
  context: EvaluationContext,
  eventStreams?: ReadonlyArray<Record<string, unknown>>,
): OfrepBulk {
  const results = flags.map((f) => ofrepSuccess(f, context));
  const answers = JSON.stringify(results);
  const etag = `"${createHash('sha1').update(answers).digest('base64url')}"`;
  const body =
    eventStreams === undefined
      ? `{"flags":${answers}}`
      : `{"flags":${answers},"eventStreams":${JSON.stringify(eventStreams)}}`;
  return { body, etag };
}
