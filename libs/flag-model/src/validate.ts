import {
  FLAG_TYPES,
  OPERATORS,
  TOTAL_WEIGHT,
  type Condition,
  type FlagDefinition,
  type FlagType,
  type Operator,
  type Rule,
  type Variant,
  type VariantValue,
} from './flag-definition';
import { parseCidr, parseFiniteNumber, parseRuleDate, parseVersion } from './operands';
import {
  findUnstorableString,
  memberPath,
  unstorableReason,
  type DefinitionError,
} from './storable';

/**
 * Validation of the definition fields of a write. Every invalid definition is refused whole and
 * the FIRST bad part, in document order, is reported by its wire path. No regular expression is
 * built from input (ReDoS); the fixed ones below run on strings already capped in length.
 */

export const LIMITS = {
  variants: 100,
  rules: 50,
  conditions: 20,
  values: 1000,
  stringLength: 1024,
  nameLength: 64,
  ruleNameLength: 128,
} as const;

/** The definition fields of a write (wire names), shape-checked, defaults filled in. */
export interface DefinitionPatch {
  type?: FlagType;
  variants?: Variant[];
  default_variant?: string | null;
  rules?: Rule[];
}

// Inside this module a failure unwinds to the exported entry points, which turn it into the
// returned DefinitionError; no exception leaves the module.
class Invalid extends Error {
  constructor(readonly error: DefinitionError) {
    super(error.message);
  }
}
function fail(field: string, message: string): never {
  throw new Invalid({ field, message });
}
function guarded<T>(check: () => T): T | { error: DefinitionError } {
  try {
    return check();
  } catch (e) {
    if (e instanceof Invalid) return { error: e.error };
    throw e;
  }
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME_RULE = '1–64 characters of A–Z, a–z, 0–9, _, . and -';
// NUM_*, DATE_* and SEMVER_* compare the attribute with one value.
const SINGLE_VALUE = new Set<Operator>(
  OPERATORS.filter((op) => ['NUM_', 'DATE_', 'SEMVER_'].some((family) => op.startsWith(family))),
);

/** `value` itself, refusing null: a field is either absent or valid. */
function present(value: unknown, field: string): unknown {
  if (value === null) fail(field, `${field} must not be null`);
  return value;
}

function record(value: unknown, field: string, keys: readonly string[]) {
  if (typeof present(value, field) !== 'object' || Array.isArray(value)) {
    fail(field, `${field} must be an object`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!keys.includes(key))
      fail(memberPath(field, key), `${memberPath(field, key)} is not a known field`);
  }
  // Own properties only: a key such as `constructor` must not be read from the prototype.
  return (key: string) => (Object.hasOwn(obj, key) ? obj[key] : undefined);
}

function required(value: unknown, field: string): unknown {
  if (value === undefined) fail(field, `${field} is required`);
  return present(value, field);
}

function list(value: unknown, field: string, min: number, max: number, noun: string): unknown[] {
  if (!Array.isArray(present(value, field))) fail(field, `${field} must be an array`);
  const items = value as unknown[];
  if (items.length < min || items.length > max) {
    fail(field, `${field} must have ${min === 0 ? 'at most' : `${min} to`} ${max} ${noun}`);
  }
  return items;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof present(value, field) !== 'string' || (value as string).length > max) {
    fail(field, `${field} must be a string of at most ${max} characters`);
  }
  const reason = unstorableReason(value as string);
  if (reason) fail(field, `${field} contains ${reason}, which cannot be stored`);
  return value as string;
}

function name(value: unknown, field: string): string {
  if (typeof present(value, field) !== 'string' || !NAME.test(value as string)) {
    fail(field, `${field} must be ${NAME_RULE}`);
  }
  return value as string;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  const n = present(value, field);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    fail(field, `${field} must be an integer from ${min} to ${max}`);
  }
  return n;
}

function bool(value: unknown, field: string): boolean {
  if (typeof present(value, field) !== 'boolean') fail(field, `${field} must be true or false`);
  return value as boolean;
}

function flagType(value: unknown): FlagType {
  if (!FLAG_TYPES.includes(present(value, 'type') as FlagType)) {
    fail('type', `type must be one of ${FLAG_TYPES.join(', ')}`);
  }
  return value as FlagType;
}

/** A variant's value: of the flag's type when it is known, else of any non-boolean type. */
function variantValue(value: unknown, field: string, type: FlagType | undefined): VariantValue {
  present(value, field);
  const kind =
    typeof value === 'object' ? (Array.isArray(value) ? 'array' : 'object') : typeof value;
  const expected = type === undefined ? kind : type;
  if (kind !== expected || (kind !== 'string' && kind !== 'number' && kind !== 'object')) {
    fail(
      field,
      type === undefined || type === 'boolean'
        ? `${field} must be a string, a number or a JSON object`
        : `${field} must be ${type === 'object' ? 'a JSON object' : `a ${type}`} (the flag's type)`,
    );
  }
  if (kind === 'string') return text(value, field, LIMITS.stringLength);
  if (kind === 'number' && !Number.isFinite(value)) fail(field, `${field} must be a finite number`);
  if (kind === 'object') {
    const error = findUnstorableString(value, field);
    if (error) fail(error.field, error.message);
  }
  return value as VariantValue;
}

function variants(value: unknown, type: FlagType | undefined): Variant[] {
  const items = list(value, 'variants', 0, LIMITS.variants, 'variants');
  const seen = new Map<string, number>();
  let total = 0;
  const parsed = items.map((item, i): Variant => {
    const at = `variants[${i}]`;
    const get = record(item, at, ['name', 'value', 'weight']);
    const variantName = name(required(get('name'), `${at}.name`), `${at}.name`);
    const first = seen.get(variantName);
    if (first !== undefined) fail(`${at}.name`, `${at}.name duplicates variants[${first}].name`);
    seen.set(variantName, i);
    const v = variantValue(required(get('value'), `${at}.value`), `${at}.value`, type);
    const weight = integer(
      required(get('weight'), `${at}.weight`),
      `${at}.weight`,
      0,
      TOTAL_WEIGHT,
    );
    total += weight;
    return { name: variantName, value: v, weight };
  });
  if (total !== 0 && total !== TOTAL_WEIGHT) {
    fail(
      'variants',
      `variants must have weights that sum to ${TOTAL_WEIGHT}, or all 0 (these sum to ${total})`,
    );
  }
  return parsed;
}

function values(value: unknown, field: string, operator: Operator): string[] {
  const items = list(value, field, 1, LIMITS.values, 'values');
  if (SINGLE_VALUE.has(operator) && items.length !== 1) {
    fail(field, `${field} must hold exactly one value for ${operator}`);
  }
  return items.map((item, i) => {
    const at = `${field}[${i}]`;
    const s = text(item, at, LIMITS.stringLength);
    const problem = operandProblem(operator, s);
    if (problem) fail(at, `${at} must be ${problem} for ${operator}`);
    return s;
  });
}

/** What a rule value of the operator must be, when `s` is not that; undefined when it is. */
function operandProblem(operator: Operator, s: string): string | undefined {
  switch (operator) {
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE':
      return parseFiniteNumber(s) === undefined ? 'a finite number' : undefined;
    case 'DATE_AFTER':
    case 'DATE_BEFORE':
      return parseRuleDate(s) === undefined
        ? 'an ISO-8601 date (2025-01-31, or 2025-01-31T12:00:00Z with an offset)'
        : undefined;
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_LT':
      return parseVersion(s) === undefined ? 'a semantic version such as 1.2.3' : undefined;
    case 'IN_CIDR':
      return parseCidr(s) === undefined ? 'an IPv4 or IPv6 address or CIDR' : undefined;
    case 'IN':
    case 'NOT_IN':
    case 'STR_CONTAINS':
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH':
      return undefined;
  }
}

function condition(value: unknown, at: string): Condition {
  const get = record(value, at, [
    'attribute',
    'operator',
    'values',
    'inverted',
    'case_insensitive',
  ]);
  const attribute = name(required(get('attribute'), `${at}.attribute`), `${at}.attribute`);
  const operator = required(get('operator'), `${at}.operator`) as Operator;
  if (!OPERATORS.includes(operator)) {
    fail(`${at}.operator`, `${at}.operator must be one of ${OPERATORS.join(', ')}`);
  }
  const parsed = values(required(get('values'), `${at}.values`), `${at}.values`, operator);
  const inverted = get('inverted');
  const fold = get('case_insensitive');
  return {
    attribute,
    operator,
    values: parsed,
    inverted: inverted === undefined ? false : bool(inverted, `${at}.inverted`),
    case_insensitive: fold === undefined ? false : bool(fold, `${at}.case_insensitive`),
  };
}

/** `checkVariant` vets a rule's variant against the flag's when they are known. */
function rules(value: unknown, checkVariant?: (variant: string, field: string) => void): Rule[] {
  const items = list(value, 'rules', 0, LIMITS.rules, 'rules');
  return items.map((item, i): Rule => {
    const at = `rules[${i}]`;
    const get = record(item, at, ['name', 'conditions', 'rollout_percentage', 'variant']);
    const ruleName = get('name');
    const parsedName =
      ruleName === undefined ? undefined : text(ruleName, `${at}.name`, LIMITS.ruleNameLength);
    const conditions = list(
      required(get('conditions'), `${at}.conditions`),
      `${at}.conditions`,
      1,
      LIMITS.conditions,
      'conditions',
    ).map((c, j) => condition(c, `${at}.conditions[${j}]`));
    const rollout = get('rollout_percentage');
    const rule: Rule = {
      ...(parsedName !== undefined && { name: parsedName }),
      conditions,
      rollout_percentage:
        rollout === undefined ? 100 : integer(rollout, `${at}.rollout_percentage`, 0, 100),
    };
    const variant = get('variant');
    if (variant !== undefined) {
      rule.variant = name(variant, `${at}.variant`);
      checkVariant?.(rule.variant, `${at}.variant`);
    }
    return rule;
  });
}

/** The definition fields of a write (wire names), shape-checked, defaults filled in. */
export function parseDefinitionPatch(input: {
  type?: unknown;
  variants?: unknown;
  default_variant?: unknown;
  rules?: unknown;
}): { patch: DefinitionPatch } | { error: DefinitionError } {
  return guarded(() => {
    const patch: DefinitionPatch = {};
    if (input.type !== undefined) patch.type = flagType(input.type);
    if (input.variants !== undefined) {
      // Variants of a boolean flag are refused whole by validateDefinition, not value by value.
      const type = patch.type === 'boolean' ? undefined : patch.type;
      patch.variants = variants(input.variants, type);
    }
    if (input.default_variant === null) patch.default_variant = null;
    else if (input.default_variant !== undefined) {
      patch.default_variant = name(input.default_variant, 'default_variant');
    }
    if (input.rules !== undefined) patch.rules = rules(input.rules);
    return { patch };
  });
}

/** Whole-definition check after a patch is merged onto the stored flag (cross-field rules). First error or null. */
export function validateDefinition(flag: Omit<FlagDefinition, 'revision'>): DefinitionError | null {
  const outcome = guarded(() => {
    const type = flagType(flag.type);
    const isBoolean = type === 'boolean';
    // Counted leniently: a variants field that is not an array is reported by variants() below.
    const count = Array.isArray(flag.variants) ? flag.variants.length : 0;
    if (isBoolean && count > 0) fail('variants', 'variants must be empty for a boolean flag');
    if (!isBoolean && count === 0) {
      fail('variants', `variants must hold at least one variant for a ${type} flag`);
    }
    const names = new Set(variants(flag.variants, type).map((v) => v.name));
    if (isBoolean && flag.defaultVariant != null) {
      fail('default_variant', 'default_variant must be null for a boolean flag');
    }
    if (!isBoolean && !names.has(flag.defaultVariant as string)) {
      fail(
        'default_variant',
        flag.defaultVariant == null
          ? `default_variant is required for a ${type} flag`
          : 'default_variant must name one of the variants',
      );
    }
    rules(flag.rules, (variant, field) => {
      if (isBoolean) fail(field, `${field} must be absent for a boolean flag`);
      if (!names.has(variant)) fail(field, `${field} must name one of the variants`);
    });
    return null;
  });
  return outcome === null ? null : outcome.error;
}
