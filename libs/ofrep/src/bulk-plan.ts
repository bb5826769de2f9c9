import {
  contextFree,
  evaluate,
  type EvaluationContext,
  type FlagDefinition,
} from '@app/flag-model';
import { answerBytes } from './ofrep.presenter';

/**
 * A flag list prepared for bulk evaluation. A flag whose answer no context can change (disabled,
 * or no rules and a rollout of 0% or of 100% without a split: `contextFree`) has its answer
 * serialised here, once per list; a request evaluates only the others. The list's answers are
 * then `texts[0] + answer(dynamic[0]) + texts[1] + … + texts[n]`: the texts hold the fixed
 * answers, the commas and the brackets, in list order.
 *
 * Kept per list object: the reader hands out a new list whenever any flag changes (its
 * revision moves), so a plan is never older than its flags.
 */
interface BulkPlan {
  readonly texts: readonly Buffer[];
  readonly dynamic: readonly FlagDefinition[];
}

const OPEN = Buffer.from('[', 'latin1');
const COMMA = Buffer.from(',', 'latin1');
const CLOSE = Buffer.from(']', 'latin1');

const plans = new WeakMap<readonly FlagDefinition[], BulkPlan>();

function planOf(flags: readonly FlagDefinition[]): BulkPlan {
  let plan = plans.get(flags);
  if (plan === undefined) {
    const texts: Buffer[] = [];
    const dynamic: FlagDefinition[] = [];
    let text: Buffer[] = [OPEN];
    for (let i = 0; i < flags.length; i++) {
      if (i > 0) text.push(COMMA);
      const fixed = contextFree(flags[i]);
      if (fixed !== undefined) text.push(answerBytes(flags[i], fixed));
      else {
        texts.push(Buffer.concat(text));
        dynamic.push(flags[i]);
        text = [];
      }
    }
    text.push(CLOSE);
    texts.push(Buffer.concat(text));
    plan = { texts, dynamic };
    plans.set(flags, plan);
  }
  return plan;
}

// The answers of the dynamic flags, between the two passes (safe: a call runs to completion). Not
// emptied after: the entries are answers the definitions' caches hold anyway.
const pieces: Buffer[] = [];

/**
 * The `flags` array of an OFREP bulk response for `context`, as UTF-8 bytes: byte for byte
 * `JSON.stringify(flags.map((f) => ofrepSuccess(f, context)))`, evaluating only the flags a
 * context can change. One allocation: the answers are looked up first, then copied.
 */
export function bulkAnswers(flags: readonly FlagDefinition[], context: EvaluationContext): Buffer {
  const { texts, dynamic } = planOf(flags);
  let length = texts[0].length;
  for (let i = 0; i < dynamic.length; i++) {
    const piece = answerBytes(dynamic[i], evaluate(dynamic[i], context));
    pieces[i] = piece;
    length += piece.length + texts[i + 1].length;
  }
  const answers = Buffer.allocUnsafe(length);
  answers.set(texts[0], 0);
  let at = texts[0].length;
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
  return answers;
}
