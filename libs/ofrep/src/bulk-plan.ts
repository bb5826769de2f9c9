import {
  contextFree,
  evaluate,
  rolloutOnly,
  type EvaluationContext,
  type FlagDefinition,
} from '@app/flag-model';
import { bucketIn, type HashPrefix } from '@app/rollout';
import { answerBytes } from './ofrep.presenter';

/**
 * A flag list prepared for bulk evaluation. A flag whose answer no context can change (disabled,
 * or no rules and a rollout of 0% or of 100% without a split: `contextFree`) has its answer
 * serialised here, once per list; a request evaluates only the others. The list's answers are
 * then `texts[0] + answer(dynamic[0]) + texts[1] + … + texts[n]`: the texts hold the fixed
 * answers, the commas and the brackets, in list order.
 *
 * Of the others, a flag decided by the user's rollout bucket alone (`rolloutOnly`: the common
 * partial rollout) has its hash prefix and both serialised answers held here, so a request
 * decides it with one hash: no evaluation call, no lookup of the answer. The rest go through
 * `evaluate`. Parallel arrays, so the loop reads each with no shape check.
 *
 * Kept per list object: the reader hands out a new list whenever any flag changes (its
 * revision moves), so a plan is never older than its flags.
 */
interface BulkPlan {
  readonly texts: readonly Buffer[];
  readonly dynamic: readonly FlagDefinition[];
  /** Per dynamic flag: its bucket prefix when it is rollout-only, else null. */
  readonly prefixes: ReadonlyArray<HashPrefix | null>;
  readonly percentages: readonly number[];
  /** Per dynamic flag: its two answers when it is rollout-only, else empty (unused). */
  readonly onAnswers: readonly Buffer[];
  readonly offAnswers: readonly Buffer[];
}

const OPEN = Buffer.from('[', 'latin1');
const COMMA = Buffer.from(',', 'latin1');
const CLOSE = Buffer.from(']', 'latin1');
const NOTHING = Buffer.alloc(0);

const plans = new WeakMap<readonly FlagDefinition[], BulkPlan>();

function planOf(flags: readonly FlagDefinition[]): BulkPlan {
  let plan = plans.get(flags);
  if (plan === undefined) {
    const texts: Buffer[] = [];
    const dynamic: FlagDefinition[] = [];
    const prefixes: Array<HashPrefix | null> = [];
    const percentages: number[] = [];
    const onAnswers: Buffer[] = [];
    const offAnswers: Buffer[] = [];
    let text: Buffer[] = [OPEN];
    for (let i = 0; i < flags.length; i++) {
      const flag = flags[i];
      if (i > 0) text.push(COMMA);
      const fixed = contextFree(flag);
      if (fixed !== undefined) {
        text.push(answerBytes(flag, fixed));
        continue;
      }
      texts.push(Buffer.concat(text));
      text = [];
      dynamic.push(flag);
      const rollout = rolloutOnly(flag);
      prefixes.push(rollout?.prefix ?? null);
      percentages.push(rollout?.percentage ?? 0);
      onAnswers.push(rollout ? answerBytes(flag, rollout.on) : NOTHING);
      offAnswers.push(rollout ? answerBytes(flag, rollout.off) : NOTHING);
    }
    text.push(CLOSE);
    texts.push(Buffer.concat(text));
    plan = { texts, dynamic, prefixes, percentages, onAnswers, offAnswers };
    plans.set(flags, plan);
  }
  return plan;
}

// The answers of the dynamic flags, between the two passes (safe: a call runs to completion). Not
// emptied after: the entries are answers the plans and the definitions' caches hold anyway.
const pieces: Buffer[] = [];

/**
 * The `flags` array of an OFREP bulk response for `context`, as UTF-8 bytes, between `head` and
 * `tail` (the rest of the response body, so that the body is made in one allocation): byte for
 * byte `head + JSON.stringify(flags.map((f) => ofrepSuccess(f, context))) + tail`, evaluating
 * only the flags a context can change. The answers are looked up first, then copied.
 */
export function bulkAnswers(
  flags: readonly FlagDefinition[],
  context: EvaluationContext,
  head: Uint8Array = NOTHING,
  tail: Uint8Array = NOTHING,
): Buffer {
  const { texts, dynamic, prefixes, percentages, onAnswers, offAnswers } = planOf(flags);
  // '' is no user id, as in evaluate.
  const userId = context.userId === '' ? undefined : context.userId;
  let length = head.length + texts[0].length + tail.length;
  for (let i = 0; i < dynamic.length; i++) {
    const prefix = prefixes[i];
    const piece =
      prefix === null
        ? answerBytes(dynamic[i], evaluate(dynamic[i], context))
        : userId !== undefined && bucketIn(prefix, userId) <= percentages[i]
          ? onAnswers[i]
          : offAnswers[i];
    pieces[i] = piece;
    length += piece.length + texts[i + 1].length;
  }
  const answers = Buffer.allocUnsafe(length);
  answers.set(head, 0);
  answers.set(texts[0], head.length);
  let at = head.length + texts[0].length;
  for (let i = 0; i < dynamic.length; i++) {
    answers.set(pieces[i], at);
    at += pieces[i].length;
    const text = texts[i + 1];
    // Between two flags that vary the text is one comma: no call to copy it.
    if (text.length === 1) answers[at++] = text[0];
    else {
      answers.set(text, at);
      at += text.length;
    }
  }
  answers.set(tail, at);
  return answers;
}
