import { hash } from 'node:crypto';
import {
  evaluate,
  type Evaluation,
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

function success(flag: FlagDefinition, result: Evaluation): OfrepSuccess {
  return {
    key: flag.name,
    value: result.value,
    reason: result.reason,
    variant: result.variant,
    metadata: metadataOf(flag),
  };
}

export function ofrepSuccess(flag: FlagDefinition, context: EvaluationContext): OfrepSuccess {
  return success(flag, evaluate(flag, context));
}

// The flag model hands out one shared result object per (flag definition, outcome), so the
// serialised answer can be kept per result: a flag has a handful of outcomes whatever the number
// of users, and the entry goes with the definition. A bulk evaluation is then one evaluation and
// one lookup per flag, and a string join.
const serialised = new WeakMap<Evaluation, string>();

/** `JSON.stringify(ofrepSuccess(flag, context))`, serialised once per outcome of the flag. */
function successJson(flag: FlagDefinition, context: EvaluationContext): string {
  const result = evaluate(flag, context);
  let json = serialised.get(result);
  if (json === undefined) {
    json = JSON.stringify(success(flag, result));
    serialised.set(result, json);
  }
  return json;
}

export interface OfrepBulk {
  /** The `flags` array of the response, serialised. */
  answers: string;
  etag: string;
}

/**
 * The bulk response body, serialised: the one place its fields are put together. Fields that
 * are not answers (OFREP's `eventStreams`) go here, beside `flags`, and stay out of the ETag.
 */
export function bulkBody(
  { answers }: OfrepBulk,
  eventStreams?: ReadonlyArray<Record<string, unknown>>,
): string {
  return eventStreams === undefined
    ? `{"flags":${answers}}`
    : `{"flags":${answers},"eventStreams":${JSON.stringify(eventStreams)}}`;
}

/**
 * Every live flag evaluated for one context, serialised, with its ETag. The ETag changes exactly
 * when an answer for this context changes (a flag's revision can move without changing this
 * user's answer, and two users see different answers), and two instances holding the same flags
 * give the same ETag. It is a digest of `inputs` when the caller knows a string that determines
 * every answer (the flags' names and revisions, and what of the context their rules read; see
 * bulk-memo.ts), which is short; otherwise of the answers themselves.
 */
export function ofrepBulk(
  flags: readonly FlagDefinition[],
  context: EvaluationContext,
  inputs?: string,
): OfrepBulk {
  // The same bytes as JSON.stringify(flags.map(ofrepSuccess)).
  let answers = '[';
  for (let i = 0; i < flags.length; i++) {
    if (i > 0) answers += ',';
    answers += successJson(flags[i], context);
  }
  answers += ']';
  return { answers, etag: bulkEtag(inputs ?? answers) };
}

/** The bulk ETag of a string that determines every answer (or of the answers themselves). */
export function bulkEtag(source: string): string {
  return `"${hash('sha1', source, 'base64url')}"`;
}
