import { BlockList } from 'node:net';
import type { SemVer } from 'semver';
import type { EvaluationContext } from './evaluation';
import { CURRENT_TIME_ATTRIBUTE, type Condition, type Operator } from './flag-definition';
import {
  addressFamily,
  parseAttributeDate,
  parseCidr,
  parseFiniteNumber,
  parseRuleDate,
  parseVersion,
} from './operands';

/**
 * Conditions compiled once per definition: every rule value is parsed here (into a Set, numbers,
 * instants, versions, a BlockList), so a check only reads the attribute. Semantics are Unleash's
 * constraint semantics: a missing attribute fails every operator but NOT_IN; `inverted` negates
 * the outcome, missing or not.
 */

/** Outcome of the operator alone, before `inverted`; `value` undefined = attribute missing. */
type Test = (value: string | undefined, context: EvaluationContext) => boolean;

export interface CompiledCondition {
  readonly attribute: string;
  readonly inverted: boolean;
  readonly test: Test;
}

const never: Test = () => false;

type Compare = (attribute: number, rule: number) => boolean;
const NUMBER_COMPARE: Record<
  'NUM_EQ' | 'NUM_GT' | 'NUM_GTE' | 'NUM_LT' | 'NUM_LTE' | 'DATE_AFTER' | 'DATE_BEFORE',
  Compare
> = {
  NUM_EQ: (a, r) => a === r,
  NUM_GT: (a, r) => a > r,
  NUM_GTE: (a, r) => a >= r,
  NUM_LT: (a, r) => a < r,
  NUM_LTE: (a, r) => a <= r,
  DATE_AFTER: (a, r) => a > r,
  DATE_BEFORE: (a, r) => a < r,
};

function stringTest(condition: Condition, operator: Operator): Test {
  const fold = condition.case_insensitive;
  const values = fold ? condition.values.map((v) => v.toLowerCase()) : condition.values.slice();
  const match =
    operator === 'STR_CONTAINS'
      ? (s: string, v: string) => s.includes(v)
      : operator === 'STR_STARTS_WITH'
        ? (s: string, v: string) => s.startsWith(v)
        : (s: string, v: string) => s.endsWith(v);
  return (value) => {
    if (value === undefined) return false;
    const s = fold ? value.toLowerCase() : value;
    for (const v of values) if (match(s, v)) return true;
    return false;
  };
}

function numberTest(condition: Condition, compare: Compare): Test {
  const rule = parseFiniteNumber(condition.values[0] ?? '');
  if (rule === undefined || condition.values.length !== 1) return never;
  return (value) => {
    if (value === undefined) return false;
    const n = parseFiniteNumber(value);
    return n !== undefined && compare(n, rule);
  };
}

function dateTest(condition: Condition, compare: Compare): Test {
  const rule = parseRuleDate(condition.values[0] ?? '');
  if (rule === undefined || condition.values.length !== 1) return never;
  // Unleash's currentTime: absent, the evaluation time stands in; any other date attribute
  // that is absent is simply missing.
  const defaultsToNow = condition.attribute === CURRENT_TIME_ATTRIBUTE;
  return (value, context) => {
    if (value === undefined) return defaultsToNow && compare(context.now ?? Date.now(), rule);
    const ms = parseAttributeDate(value);
    return ms !== undefined && compare(ms, rule);
  };
}

// The versions callers report are few (one per app release), so each is parsed once: the check
// then compares two parsed versions without running semver's regular expressions again. Bounded:
// cleared when full, so a stream of distinct versions costs at most a parse each.
const ATTRIBUTE_VERSIONS_MAX = 1024;
const MAX_VERSION_LENGTH = 256; // semver's own limit
const attributeVersions = new Map<string, SemVer | undefined>();
function attributeVersion(text: string): SemVer | undefined {
  if (text.length > MAX_VERSION_LENGTH) return undefined; // semver refuses these: not worth a slot
  let version = attributeVersions.get(text);
  if (version === undefined && !attributeVersions.has(text)) {
    version = parseVersion(text);
    if (attributeVersions.size >= ATTRIBUTE_VERSIONS_MAX) attributeVersions.clear();
    attributeVersions.set(text, version);
  }
  return version;
}

function semverTest(condition: Condition, sign: -1 | 0 | 1): Test {
  const rule = parseVersion(condition.values[0] ?? '');
  if (rule === undefined || condition.values.length !== 1) return never;
  return (value) => {
    if (value === undefined) return false;
    const version = attributeVersion(value);
    // Precedence per semver 2.0: pre-releases sort before their release; build metadata is ignored.
    return version !== undefined && version.compare(rule) === sign;
  };
}

function cidrTest(condition: Condition): Test {
  const list = new BlockList();
  for (const text of condition.values) {
    const cidr = parseCidr(text);
    if (cidr === undefined) continue; // refused by validation; a stored one is inert
    if (cidr.prefix === undefined) list.addAddress(cidr.address, cidr.family);
    else list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return (value) => {
    if (value === undefined) return false;
    const family = addressFamily(value);
    return family !== undefined && list.check(value, family);
  };
}

/** The operator's test, or undefined for an operator this version does not know. */
function operatorTest(condition: Condition): Test | undefined {
  const operator = condition.operator;
  switch (operator) {
    case 'IN': {
      const values = new Set(condition.values);
      return (value) => value !== undefined && values.has(value);
    }
    case 'NOT_IN': {
      const values = new Set(condition.values);
      return (value) => value === undefined || !values.has(value);
    }
    case 'STR_CONTAINS':
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH':
      return stringTest(condition, operator);
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE':
      return numberTest(condition, NUMBER_COMPARE[operator]);
    case 'DATE_AFTER':
    case 'DATE_BEFORE':
      return dateTest(condition, NUMBER_COMPARE[operator]);
    case 'SEMVER_EQ':
      return semverTest(condition, 0);
    case 'SEMVER_GT':
      return semverTest(condition, 1);
    case 'SEMVER_LT':
      return semverTest(condition, -1);
    case 'IN_CIDR':
      return cidrTest(condition);
    default:
      return undefined;
  }
}

export function compileCondition(condition: Condition): CompiledCondition {
  const test = operatorTest(condition);
  // An unknown operator (a newer writer's) holds for nobody, inverted or not, as in Unleash's SDKs.
  if (test === undefined) return { attribute: condition.attribute, inverted: false, test: never };
  return { attribute: condition.attribute, inverted: condition.inverted === true, test };
}
