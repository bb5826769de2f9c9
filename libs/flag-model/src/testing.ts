import type { Condition, FlagDefinition, Operator, Rule } from './flag-definition';

/** Builders for specs: a complete definition from the parts a test cares about. */
export function flagDef(overrides: Partial<FlagDefinition> = {}): FlagDefinition {
  return {
    name: 'my-flag',
    enabled: true,
    rolloutPercentage: 100,
    metadata: {},
    type: 'boolean',
    variants: [],
    defaultVariant: null,
    rules: [],
    revision: 1,
    ...overrides,
  };
}

export function condition(
  attribute: string,
  operator: Operator,
  values: string[],
  options: Partial<Pick<Condition, 'inverted' | 'case_insensitive'>> = {},
): Condition {
  return { attribute, operator, values, inverted: false, case_insensitive: false, ...options };
}

export function rule(
  conditions: Condition[],
  options: Partial<Omit<Rule, 'conditions'>> = {},
): Rule {
  return { conditions, rollout_percentage: 100, ...options };
}
