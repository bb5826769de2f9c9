import type { Condition, FlagDefinition, FlagType, FlagUpdate, Operator, Rule } from './api/types';
import { json, percentToWeight, weightToPercent } from './format';

// The flag page edits text (what a person types) and turns it into a definition only on save,
// so that a half-typed JSON object or number is kept as typed instead of being lost.

export interface VariantDraft {
  name: string;
  value: string;
  percent: string;
}
export interface ConditionDraft {
  attribute: string;
  operator: Operator;
  values: string;
  inverted: boolean;
  case_insensitive: boolean;
}
export interface RuleDraft {
  name: string;
  rollout: string;
  variant: string;
  conditions: ConditionDraft[];
}
export interface Draft {
  enabled: boolean;
  rollout: number;
  metadata: string;
  type: FlagType;
  variants: VariantDraft[];
  default_variant: string;
  rules: RuleDraft[];
}

const valueText = (type: FlagType, value: unknown) =>
  type === 'string' ? String(value) : type === 'object' ? json(value) : JSON.stringify(value);

export function toDraft(d: FlagDefinition): Draft {
  const type = d.type ?? 'boolean';
  return {
    enabled: d.enabled,
    rollout: d.rollout_percentage,
    metadata: json(d.metadata ?? {}),
    type,
    variants: (d.variants ?? []).map((v) => ({
      name: v.name,
      value: valueText(type, v.value),
      percent: String(weightToPercent(v.weight)),
    })),
    default_variant: d.default_variant ?? '',
    rules: (d.rules ?? []).map((r) => ({
      name: r.name ?? '',
      rollout: r.rollout_percentage === undefined ? '' : String(r.rollout_percentage),
      variant: r.variant ?? '',
      conditions: r.conditions.map((c) => ({
        attribute: c.attribute,
        operator: c.operator,
        values: c.values.join(', '),
        inverted: c.inverted ?? false,
        case_insensitive: c.case_insensitive ?? false,
      })),
    })),
  };
}

export const emptyCondition = (): ConditionDraft => ({
  attribute: '',
  operator: 'IN',
  values: '',
  inverted: false,
  case_insensitive: false,
});

export const emptyRule = (): RuleDraft => ({
  name: '',
  rollout: '',
  variant: '',
  conditions: [emptyCondition()],
});

/** Problems found before sending, by field path (the same paths the server's 400 names). */
export type Problems = Record<string, string>;

function parseValue(
  type: FlagType,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (type === 'string') return { ok: true, value: text };
  if (type === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n)
      ? { ok: true, value: n }
      : { ok: false, message: 'must be a number' };
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ok: true, value }
      : { ok: false, message: 'must be a JSON object' };
  } catch {
    return { ok: false, message: 'is not valid JSON' };
  }
}

export function weightTotal(draft: Draft): number {
  return draft.variants.reduce((sum, v) => sum + percentToWeight(Number(v.percent) || 0), 0);
}

/**
 * The patch to send, or the problems that stop it. `extended` is whether the server knows
 * types, variants and rules (it shows `type` in the flag data); older servers refuse them.
 */
export function toPatch(
  draft: Draft,
  extended: boolean,
): { ok: true; patch: FlagUpdate } | { ok: false; problems: Problems } {
  const problems: Problems = {};
  let metadata: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(draft.metadata);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      problems.metadata = 'metadata must be a JSON object';
    else metadata = parsed as Record<string, unknown>;
  } catch (e) {
    problems.metadata = `metadata is not valid JSON: ${e instanceof Error ? e.message : ''}`;
  }
  const patch: FlagUpdate = { enabled: draft.enabled, rollout_percentage: draft.rollout, metadata };
  if (extended) {
    patch.type = draft.type;
    if (draft.type === 'boolean') {
      patch.variants = [];
    } else {
      patch.variants = draft.variants.map((v, i) => {
        const parsed = parseValue(draft.type, v.value);
        if (!parsed.ok) problems[`variants[${i}].value`] = `the value ${parsed.message}`;
        const percent = Number(v.percent);
        if (v.percent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100)
          problems[`variants[${i}].weight`] = 'the weight must be a percentage from 0 to 100';
        return {
          name: v.name,
          value: parsed.ok ? parsed.value : null,
          weight: percentToWeight(percent || 0),
        };
      });
      const total = weightTotal(draft);
      if (total !== 0 && total !== 1000 && problems.variants === undefined)
        problems.variants = `the weights total ${total / 10}%: they must total 100% (or all be 0)`;
      patch.default_variant = draft.default_variant;
    }
    patch.rules = draft.rules.map((r, i): Rule => {
      const rule: Rule = {
        conditions: r.conditions.map((c): Condition => ({
          attribute: c.attribute,
          operator: c.operator,
          values: c.values
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
          ...(c.inverted ? { inverted: true } : {}),
          ...(c.case_insensitive ? { case_insensitive: true } : {}),
        })),
      };
      if (r.name.trim()) rule.name = r.name.trim();
      if (r.rollout.trim() !== '') {
        const n = Number(r.rollout);
        if (!Number.isInteger(n) || n < 0 || n > 100)
          problems[`rules[${i}].rollout_percentage`] = 'rollout must be an integer from 0 to 100';
        rule.rollout_percentage = n;
      }
      if (r.variant) rule.variant = r.variant;
      return rule;
    });
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, patch };
}
