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
// one lookup per flag, and copying bytes. Bytes rather than strings: the body goes to the socket
// as one Buffer, which Node writes as it is, where a string body of ~10 KB would be flattened
// and copied on the V8 heap, then encoded, on every request.
const serialised = new WeakMap<Evaluation, Buffer>();

/** The answer `result` makes for `flag`, as the UTF-8 bytes of its JSON: serialised once per outcome. */
export function answerBytes(flag: FlagDefinition, result: Evaluation): Buffer {
  let bytes = serialised.get(result);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(success(flag, result)), 'utf8');
    serialised.set(result, bytes);
  }
  return bytes;
}

const BODY_START = Buffer.from('{"flags":', 'latin1');
const BODY_END = Buffer.from('}', 'latin1');
// The same streams object comes with every request while reads need no token: serialised once.
const streamsEnd = new WeakMap<ReadonlyArray<Record<string, unknown>>, Buffer>();

/** What the bulk response body starts with, before the answers. */
export const BULK_BODY_HEAD: Buffer = BODY_START;

/**
 * What the bulk response body ends with, after the answers: OFREP's `eventStreams` when given,
 * and the closing brace. Fields that are not answers go here, beside `flags`, and stay out of
 * the ETag. The same Buffer for the same streams object, so a memoised body can tell whether it
 * still ends right by identity.
 */
export function bulkBodyTail(eventStreams?: ReadonlyArray<Record<string, unknown>>): Buffer {
  if (eventStreams === undefined) return BODY_END;
  let end = streamsEnd.get(eventStreams);
  if (end === undefined) {
    end = Buffer.from(`,"eventStreams":${JSON.stringify(eventStreams)}}`);
    streamsEnd.set(eventStreams, end);
  }
  return end;
}

/**
 * The answers of a bulk evaluation for one context, with their ETag: kept as a whole response
 * body (`BULK_BODY_HEAD`, the `flags` array, `tail`), so that a response whose tail is the same
 * sends it as it is.
 */
export class OfrepBulk {
  constructor(
    /** The response body's bytes, answers framed by BULK_BODY_HEAD and `tail`. */
    readonly body: Buffer,
    readonly etag: string,
    readonly tail: Buffer = BODY_END,
  ) {}

  /** The `flags` array's bytes (a view into the body, no copy). */
  get bytes(): Buffer {
    return this.body.subarray(BODY_START.length, this.body.length - this.tail.length);
  }

  /** The `flags` array as a string, decoded on each read (for tests; responses send the body). */
  get answers(): string {
    return this.bytes.toString('utf8');
  }
}

/** The bulk response body as the bytes sent: the memoised body when it ends with these streams. */
export function bulkBodyBytes(
  bulk: OfrepBulk,
  eventStreams?: ReadonlyArray<Record<string, unknown>>,
): Buffer {
  const tail = bulkBodyTail(eventStreams);
  return tail === bulk.tail ? bulk.body : framed(bulk.bytes, tail);
}

/** `bulkBodyBytes` as a string. */
export function bulkBody(
  bulk: OfrepBulk,
  eventStreams?: ReadonlyArray<Record<string, unknown>>,
): string {
  return bulkBodyBytes(bulk, eventStreams).toString('utf8');
}

function framed(answers: Uint8Array, tail: Buffer): Buffer {
  const body = Buffer.allocUnsafe(BODY_START.length + answers.length + tail.length);
  body.set(BODY_START, 0);
  body.set(answers, BODY_START.length);
  body.set(tail, BODY_START.length + answers.length);
  return body;
}

/**
 * Every live flag evaluated for one context the straightforward way, with an ETag digested from
 * the answers themselves: the reference that the fast path (bulk-plan.ts, and bulk-memo.ts with
 * its ETag of what determines the answers) is tested against.
 */
export function ofrepBulk(flags: readonly FlagDefinition[], context: EvaluationContext): OfrepBulk {
  const answers = JSON.stringify(flags.map((flag) => ofrepSuccess(flag, context)));
  return new OfrepBulk(framed(Buffer.from(answers, 'utf8'), BODY_END), bulkEtag(answers));
}

/** The ETag of a list's answers for one context, digested from the answers. */
export function bulkEtag(answers: string | Uint8Array): string {
  return `"${hash('sha1', answers, 'base64url')}"`;
}
