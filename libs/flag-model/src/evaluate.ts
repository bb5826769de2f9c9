/**
 * The evaluation rule, the one place it is decided whether a flag is on for a context and what
 * it serves:
 *
 * 1. A disabled flag is off (DISABLED).
 * 2. Otherwise the first rule whose conditions all hold decides (TARGETING_MATCH): on when the
 *    user's bucket (1..100, Unleash's, salted by flag name) is <= the rule's rollout_percentage.
 * 3. No rule holds: the flag's own rollout_percentage decides exactly as `isEnabledFor`. The
 *    reason is SPLIT when the answer depended on the user's bucket or variant hash (a rollout
 *    strictly between 0 and 100, or an on-value chosen by the weighted split), else DEFAULT when
 *    the flag has rules, else STATIC.
 *
 * Served value: off → false, or the default variant's value. On → true; for other types the
 * deciding rule's variant if it names one, else the weighted split when the weights sum to
 * 1000, else the default variant. The split is Unleash's: murmur3("{flag}:{user}", 86028157)
 * % 1000 + 1 against the running totals of the weights.
 *
 * Without a user id there is no bucket and no hash: a rollout strictly between 0 and 100 is
 * off, 100 is on, 0 is off, and the split serves the default variant; the reason is unchanged.
 *
 * A condition reads its attribute from `context.attributes` (strings only; anything else is
 * missing), except `user_id`, which reads `context.userId`.
 *
 * This is the hot path of every flag check: the definition is compiled once (compile.ts), so a
 * call does no regular expression and parses no rule value, and results are shared objects.
 */
import { isEnabledFor } from '@app/rollout';
import { compiledFlag, type CompiledFlag, type CompiledRule, type RolloutOnly } from './compile';
import type { Evaluation, EvaluationContext } from './evaluation';
import { USER_ID_ATTRIBUTE, type FlagDefinition } from './flag-definition';
import { splitIndex } from './split';

export function evaluate(flag: FlagDefinition, context: EvaluationContext): Evaluation {
  const c = compiledFlag(flag);
  if (!flag.enabled) return c.disabled;
  // '' is no user id, as in isEnabledFor.
  const userId = context.userId === '' ? undefined : context.userId;
  for (let i = 0; i < c.rules.length; i++) {
    const rule = c.rules[i];
    if (!holds(rule, userId, context)) continue;
    const on = isEnabledFor(rule.rollout, flag.name, userId);
    const variant = !on
      ? c.defaultIndex
      : rule.variantIndex >= 0
        ? rule.variantIndex
        : served(c, flag.name, userId);
    return c.result(i, on, variant);
  }
  const on = isEnabledFor(flag, flag.name, userId);
  return c.result(-1, on, on ? served(c, flag.name, userId) : c.defaultIndex);
}

/**
 * The answer every context gets when the flag's answer cannot depend on the context (disabled;
 * or no rules and a rollout of 0%, or of 100% without a weighted split): the same object
 * `evaluate` returns for any context. Undefined when a context can change the answer. A bulk
 * evaluation serialises such flags once per flag list instead of once per request.
 */
export function contextFree(flag: FlagDefinition): Evaluation | undefined {
  return compiledFlag(flag).contextFree;
}

/**
 * How to decide the flag with one hash when its answer depends on the context only through the
 * user's rollout bucket (no rules, no split, a partial rollout): `evaluate` gives `on` exactly
 * when the context has a user id whose `bucketIn(prefix, …)` is <= `percentage`, else `off`.
 * Undefined for any other flag.
 */
export function rolloutOnly(flag: FlagDefinition): RolloutOnly | undefined {
  return compiledFlag(flag).rolloutOnly;
}

export type { RolloutOnly };

/** Names of the attributes the flag's rules read (user_id included when a rule reads it), sorted. */
export function attributesRead(flag: FlagDefinition): readonly string[] {
  return compiledFlag(flag).attributesRead;
}

/**
 * Whether the flag's answer for a context can change with the time alone (a DATE_* condition on
 * `currentTime` reads the clock when the context does not carry it): such an answer must not be
 * memoised.
 */
export function readsClock(flag: FlagDefinition): boolean {
  return compiledFlag(flag).readsClock;
}

function holds(rule: CompiledRule, userId: string | undefined, context: EvaluationContext) {
  for (const condition of rule.conditions) {
    const raw =
      condition.attribute === USER_ID_ATTRIBUTE ? userId : context.attributes[condition.attribute];
    const value = typeof raw === 'string' ? raw : undefined;
    if (condition.test(value, context) === condition.inverted) return false;
  }
  return true;
}

/** The variant an on-flag serves without a rule's own: the split's, else the default. */
function served(c: CompiledFlag, flagName: string, userId: string | undefined): number {
  return c.cumulative !== undefined && userId !== undefined
    ? splitIndex(c.cumulative, flagName, userId)
    : c.defaultIndex;
}
