import type { FlagDefinition } from '@app/flag-model';
import type { FlagState } from './flag.entity';

/** The definition as the API shows it in `flag_data` and history records it (wire field names). */
export function toFlagState(flag: FlagDefinition): FlagState {
  return {
    enabled: flag.enabled,
    rollout_percentage: flag.rolloutPercentage,
    metadata: flag.metadata,
    type: flag.type,
    variants: flag.variants,
    default_variant: flag.defaultVariant,
    rules: flag.rules,
  };
}

export function fromFlagState(name: string, revision: number, state: FlagState): FlagDefinition {
  return {
    name,
    enabled: state.enabled,
    rolloutPercentage: state.rollout_percentage,
    metadata: state.metadata,
    type: state.type,
    variants: state.variants,
    defaultVariant: state.default_variant,
    rules: state.rules,
    revision,
  };
}

/**
 * History rows written before flags had types, variants and rules hold only the first three
 * fields; they are shown as the boolean flags they were, so that every entry has the same shape
 * and each entry's `before` still equals the previous entry's `after`.
 */
export function completeState(state: Partial<FlagState> | null): FlagState | null {
  if (state === null) return null;
  return {
    enabled: state.enabled ?? false,
    rollout_percentage: state.rollout_percentage ?? 100,
    metadata: state.metadata ?? {},
    type: state.type ?? 'boolean',
    variants: state.variants ?? [],
    default_variant: state.default_variant ?? null,
    rules: state.rules ?? [],
  };
}
