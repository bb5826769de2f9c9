import type { CacheOutcome } from '@app/cache';
import {
  evaluate,
  type EvaluationContext,
  type FlagDefinition,
  type Reason,
  type VariantValue,
} from '@app/flag-model';
import type { FlagState } from './flag.entity';
import { toFlagState } from './flag-state';

// The seed's REST shapes, presented over one evaluation (libs/flag-model). OFREP has its own
// presenter over the same result (libs/ofrep).

/** `GET /flags/:flag_name/check`, exactly the seed's shape. */
export interface CheckBody {
  enabled: boolean;
  _cache: CacheOutcome;
}

// Shared and frozen: a hit allocates no response object.
const HIT_ON: CheckBody = Object.freeze({ enabled: true, _cache: 'hit' as const });
const HIT_OFF: CheckBody = Object.freeze({ enabled: false, _cache: 'hit' as const });

export function checkBody(on: boolean, cache: CacheOutcome): CheckBody {
  if (cache === 'hit') return on ? HIT_ON : HIT_OFF;
  return { enabled: on, _cache: cache };
}

export function checkOf(
  flag: FlagDefinition,
  context: EvaluationContext,
  cache: CacheOutcome,
): CheckBody {
  return checkBody(evaluate(flag, context).on, cache);
}

/** When and by whom a flag was last written: null when not recorded (the seed's flags). */
export interface LastChange {
  /** ISO 8601 */
  updated_at: string | null;
  /** The admin token's name that made the last create, update, restore or archive. */
  updated_by: string | null;
}

const lastChange = (flag: FlagDefinition): LastChange => ({
  updated_at: flag.updatedAt ?? null,
  updated_by: flag.updatedBy ?? null,
});

/** `GET /flags/:flag_name`: the seed's fields, then the definition's revision and the evaluation. */
export interface FlagDetailsBody extends LastChange {
  flag_name: string;
  enabled: boolean;
  flag_data: FlagState;
  revision: number;
  value: VariantValue;
  variant: string;
  reason: Reason;
  /** Index of the rule that decided, null when none did. */
  rule_index: number | null;
  _cache: CacheOutcome;
}

export function detailsBody(
  flag: FlagDefinition,
  context: EvaluationContext,
  cache: CacheOutcome,
): FlagDetailsBody {
  const result = evaluate(flag, context);
  return {
    flag_name: flag.name,
    enabled: result.on,
    flag_data: toFlagState(flag),
    revision: flag.revision,
    ...lastChange(flag),
    value: result.value,
    variant: result.variant,
    reason: result.reason,
    rule_index: result.ruleIndex < 0 ? null : result.ruleIndex,
    _cache: cache,
  };
}

/** One flag of `GET /flags`: the seed's fields, then the rest of the definition and the revision. */
export interface FlagListItem extends FlagState, LastChange {
  flag_name: string;
  revision: number;
}

export interface FlagListBody {
  flags: FlagListItem[];
  count: number;
  _cache: CacheOutcome;
}

const listItems = new WeakMap<readonly FlagDefinition[], FlagListItem[]>();

/** Memoised per list generation: the list cache hands the same array until a flag changes. */
export function listBody(flags: readonly FlagDefinition[], cache: CacheOutcome): FlagListBody {
  let items = listItems.get(flags);
  if (items === undefined) {
    items = flags.map((f) => ({
      flag_name: f.name,
      ...toFlagState(f),
      revision: f.revision,
      ...lastChange(f),
    }));
    listItems.set(flags, items);
  }
  return { flags: items, count: items.length, _cache: cache };
}
