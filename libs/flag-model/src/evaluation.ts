import type { VariantValue } from './flag-definition';

export type Reason = 'DISABLED' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'STATIC';

export interface EvaluationContext {
  userId: string | undefined;
  /** Attribute values by name; only string values count as present (anything else = missing).
   *  May be the raw query object of a request (it may contain `user_id`, which is ignored here:
   *  the attribute `user_id` always reads `userId`). */
  attributes: Readonly<Record<string, unknown>>;
  /** Evaluation time in ms for DATE_* when the attribute `currentTime` is absent (Unleash's
   *  currentTime); defaults to Date.now(). */
  now?: number;
}

export interface Evaluation {
  /** the flag is on for this context (what the seed's `enabled` shows) */
  on: boolean;
  /** boolean flags: === on */
  value: VariantValue;
  /** boolean flags: 'on' | 'off'; others: the variant name served */
  variant: string;
  reason: Reason;
  /** index of the rule that decided, -1 when none */
  ruleIndex: number;
}
