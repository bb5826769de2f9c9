import { bucketPrefix, type HashPrefix, type RolloutRule } from '@app/rollout';
import { compileCondition, type CompiledCondition } from './conditions';
import type { Evaluation, Reason } from './evaluation';
import { CURRENT_TIME_ATTRIBUTE, type FlagDefinition } from './flag-definition';
import { cumulativeWeights } from './split';

/**
 * A definition prepared for evaluation: rule values parsed, variant names resolved to indexes,
 * result objects shared. Built once per definition object and memoized in a WeakMap, so a cache
 * that hands out the same object pays for it once and the entry goes when the object does.
 */
export interface CompiledRule {
  readonly conditions: readonly CompiledCondition[];
  readonly rollout: RolloutRule;
  /** The rule's own variant, -1 when it names none (or none that exists). */
  readonly variantIndex: number;
}

export interface CompiledFlag {
  readonly rules: readonly CompiledRule[];
  /** Running totals of the weights when the flag splits users by variant. */
  readonly cumulative: readonly number[] | undefined;
  /** The default variant; -1 for boolean flags (served as on/off). */
  readonly defaultIndex: number;
  readonly disabled: Evaluation;
  readonly attributesRead: readonly string[];
  /** Whether an answer can depend on the time of evaluation (a DATE_* condition on currentTime). */
  readonly readsClock: boolean;
  /** The result every context gets, when nothing in a context can change it; else undefined. */
  readonly contextFree: Evaluation | undefined;
  /** Set when the answer depends on the context only through the user's rollout bucket. */
  readonly rolloutOnly: RolloutOnly | undefined;
  /** The shared result for a (rule, on, variant) outcome: see `result`. */
  readonly result: (ruleIndex: number, on: boolean, variantIndex: number) => Evaluation;
}

/**
 * A flag with no rules and no weighted split, enabled at a rollout strictly between 0 and 100:
 * `on` for a user whose bucket (`bucketIn(prefix, userId)`) is <= `percentage`, `off` for the
 * others and without a user id. The common flag, and the one a bulk evaluation meets a hundred
 * times a request: it can decide it with one hash and no lookup.
 */
export interface RolloutOnly {
  readonly prefix: HashPrefix;
  readonly percentage: number;
  readonly on: Evaluation;
  readonly off: Evaluation;
}

const compiled = new WeakMap<FlagDefinition, CompiledFlag>();

export function compiledFlag(flag: FlagDefinition): CompiledFlag {
  let c = compiled.get(flag);
  if (c === undefined) {
    c = compile(flag);
    compiled.set(flag, c);
  }
  return c;
}

function compile(flag: FlagDefinition): CompiledFlag {
  // A snapshot written by a version that predates rules and variants (another replica during a
  // rolling deploy, an old cache entry) lacks these fields: it is the boolean flag it was then.
  const variants = flag.type === 'boolean' || flag.type === undefined ? [] : (flag.variants ?? []);
  const flagRules = flag.rules ?? [];
  const indexOf = (name: string | null | undefined) =>
    name == null ? -1 : variants.findIndex((v) => v.name === name);
  const defaultIndex = indexOf(flag.defaultVariant);
  const cumulative = cumulativeWeights(variants);

  const rules = flagRules.map((rule): CompiledRule => ({
    conditions: rule.conditions.map(compileCondition),
    rollout: { enabled: true, rolloutPercentage: rule.rollout_percentage },
    variantIndex: indexOf(rule.variant),
  }));

  // The fallthrough's reason is fixed per flag and outcome: SPLIT when a bucket decided (a
  // partial rollout) or a split chose the served value, else DEFAULT when rules were tried.
  const partial = flag.rolloutPercentage > 0 && flag.rolloutPercentage < 100;
  const fallthroughReason = (on: boolean): Reason =>
    partial || (on && cumulative !== undefined) ? 'SPLIT' : rules.length > 0 ? 'DEFAULT' : 'STATIC';

  const build = (ruleIndex: number, on: boolean, variantIndex: number, reason: Reason) => {
    const variant = variants[variantIndex];
    // A non-boolean flag always resolves to a variant once validated; were one missing, the
    // flag is served as a boolean rather than failing the check.
    return Object.freeze<Evaluation>(
      variant === undefined
        ? { on, value: on, variant: on ? 'on' : 'off', reason, ruleIndex }
        : { on, value: variant.value, variant: variant.name, reason, ruleIndex },
    );
  };

  // Results depend on the user only through (rule, on, variant), so each is built once, on
  // first use, and handed to every later check with the same outcome: no allocation per call.
  const stride = variants.length + 1;
  const results: Evaluation[] = [];
  const result = (ruleIndex: number, on: boolean, variantIndex: number): Evaluation => {
    const slot = ((ruleIndex + 1) * 2 + (on ? 1 : 0)) * stride + variantIndex + 1;
    return (results[slot] ??= build(
      ruleIndex,
      on,
      variantIndex,
      ruleIndex >= 0 ? 'TARGETING_MATCH' : fallthroughReason(on),
    ));
  };

  const attributes = new Set(flagRules.flatMap((r) => r.conditions.map((c) => c.attribute)));
  const disabled = build(-1, false, defaultIndex, 'DISABLED');
  return {
    rules,
    cumulative,
    defaultIndex,
    disabled,
    // Disabled, or no rule to read the context and a rollout of nobody or of everybody without
    // a split: evaluate's answer is then decided before any bucket, hash or attribute is read.
    contextFree: !flag.enabled
      ? disabled
      : rules.length > 0
        ? undefined
        : flag.rolloutPercentage <= 0
          ? result(-1, false, defaultIndex)
          : flag.rolloutPercentage >= 100 && cumulative === undefined
            ? result(-1, true, defaultIndex)
            : undefined,
    rolloutOnly:
      flag.enabled && rules.length === 0 && cumulative === undefined && partial
        ? {
            prefix: bucketPrefix(flag.name),
            percentage: flag.rolloutPercentage,
            on: result(-1, true, defaultIndex),
            off: result(-1, false, defaultIndex),
          }
        : undefined,
    attributesRead: Object.freeze([...attributes].sort()),
    readsClock: flagRules.some((r) =>
      r.conditions.some(
        (c) =>
          c.attribute === CURRENT_TIME_ATTRIBUTE &&
          (c.operator === 'DATE_AFTER' || c.operator === 'DATE_BEFORE'),
      ),
    ),
    result,
  };
}
