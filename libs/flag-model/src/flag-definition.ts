/**
 * The flag definition: what a flag serves and to whom. Caches hold these objects and never
 * interpret them; `evaluate` (evaluate.ts) is the one reader of their meaning.
 *
 * A definition is treated as immutable: evaluation memoizes a compiled form per object, so a
 * changed flag must be a new object (caches already hand out a new one per revision).
 */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'object'];

export type JsonObject = { [key: string]: unknown };
export type VariantValue = boolean | string | number | JsonObject;

export interface Variant {
  name: string;
  value: VariantValue;
  weight: number;
}

export const OPERATORS = [
  'IN',
  'NOT_IN',
  'STR_CONTAINS',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_LT',
  'IN_CIDR',
] as const;
export type Operator = (typeof OPERATORS)[number];

// Rules and conditions are stored (jsonb) and served by the API verbatim, so they use the wire
// (snake_case) field names; the validator fills in defaults so stored rules are always complete.
export interface Condition {
  attribute: string;
  operator: Operator;
  values: string[];
  inverted: boolean;
  case_insensitive: boolean;
}

export interface Rule {
  name?: string;
  conditions: Condition[];
  rollout_percentage: number;
  variant?: string;
}

export interface FlagDefinition {
  name: string;
  enabled: boolean;
  /** 0..100 integer */
  rolloutPercentage: number;
  metadata: JsonObject;
  type: FlagType;
  /** [] for boolean flags */
  variants: Variant[];
  /** null for boolean flags */
  defaultVariant: string | null;
  rules: Rule[];
  revision: number;
  /**
   * When and by whom the definition was last written (ISO 8601; the admin token's name), for
   * people reading the list: evaluation never reads them. Optional: a definition being
   * validated has not been written yet, and one cached by an older version lacks them.
   */
  updatedAt?: string;
  updatedBy?: string | null;
}

/** The sum of the weights of a flag that splits its users by variant (Unleash's normalizer). */
export const TOTAL_WEIGHT = 1000;

/** The attribute that always reads the context's user id. */
export const USER_ID_ATTRIBUTE = 'user_id';

/** The attribute DATE_* conditions read as "now"; absent, the evaluation time stands in. */
export const CURRENT_TIME_ATTRIBUTE = 'currentTime';
