import type { FlagDefinition } from '../src/api/types';
import { flagState } from '../src/format';

const flag = (over: Partial<FlagDefinition>): FlagDefinition => ({
  enabled: true,
  rollout_percentage: 100,
  metadata: {},
  ...over,
});
const rule = (rollout_percentage?: number) => ({
  conditions: [{ attribute: 'country', operator: 'IN' as const, values: ['DE'] }],
  ...(rollout_percentage === undefined ? {} : { rollout_percentage }),
});

describe(flagState.name, () => {
  it.each<[string, Partial<FlagDefinition>, ReturnType<typeof flagState>]>([
    ['disabled', { enabled: false }, 'off'],
    ['enabled at 100%', {}, 'on'],
    ['enabled at 100% with a rule at 100%', { rules: [rule()] }, 'on'],
    ['enabled at 50%', { rollout_percentage: 50 }, 'partial'],
    ['enabled at 100% with a rule at 20%', { rules: [rule(20)] }, 'partial'],
    ['enabled at 0%: nobody', { rollout_percentage: 0 }, 'off'],
    ['enabled at 0% with every rule at 0%', { rollout_percentage: 0, rules: [rule(0)] }, 'off'],
    [
      'enabled at 0% with a rule that lets users in',
      { rollout_percentage: 0, rules: [rule()] },
      'partial',
    ],
  ])('%s', (_, over, expected) => {
    expect(flagState(flag(over))).toBe(expected);
  });
});
