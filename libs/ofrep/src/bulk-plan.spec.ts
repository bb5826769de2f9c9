import type { EvaluationContext, FlagDefinition, Variant } from '@app/flag-model';
import { condition, flagDef, rule } from '../../flag-model/src/testing';
import { bulkAnswers } from './bulk-plan';
import { ofrepBulk, ofrepSuccess } from './ofrep.presenter';

/** A small seeded generator (mulberry32): the same definitions on every run. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const ROLLOUTS = [0, 0, 1, 50, 99, 100, 100, 100];

/** Definitions of every kind a list holds: fixed for everyone or not, with rules and splits. */
function definitions(seed: number, count: number): FlagDefinition[] {
  const r = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const name = `flag_${seed}_${i}`;
    const rules = r.pick([
      [],
      [],
      [rule([condition('country', 'IN', ['DE', 'FR'])])],
      [rule([condition('plan', 'NOT_IN', ['free'])], { rollout_percentage: 50 })],
      [rule([condition('user_id', 'STR_STARTS_WITH', ['user-1'])], { variant: 'b' })],
    ]);
    const common = {
      name,
      enabled: r.next() > 0.2,
      rolloutPercentage: r.pick(ROLLOUTS),
      revision: 1 + i,
      metadata: r.pick([{}, { owner: 'team-ü', nested: { no: 1 }, ticket: 42 }]),
      rules,
    };
    if (r.next() < 0.5) return flagDef(common);
    const weights = r.pick([
      [0, 0, 0],
      [200, 300, 500],
      [1000, 0, 0],
    ]);
    const variants: Variant[] = ['a', 'b', 'c'].map((v, k) => ({
      name: v,
      value: r.pick([`value-${v}`, { color: v, n: k }, k * 1.5]),
      weight: weights[k],
    }));
    return flagDef({ ...common, type: 'string', variants, defaultVariant: r.pick(['a', 'c']) });
  });
}

const CONTEXTS: EvaluationContext[] = [
  { userId: undefined, attributes: {} },
  { userId: '', attributes: { country: 'DE' } },
  { userId: 'ü🙂', attributes: { plan: 'pro' } },
  ...Array.from({ length: 60 }, (_, i) => ({
    userId: `user-${i * 37}`,
    attributes: [{}, { country: 'DE' }, { country: 'US', plan: 'free' }, { plan: 'pro' }][i % 4],
  })),
];

const straightforward = (flags: readonly FlagDefinition[], context: EvaluationContext) =>
  JSON.stringify(flags.map((f) => ofrepSuccess(f, context)));

describe(bulkAnswers.name, () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'serialises byte for byte as evaluating each flag (definitions of seed %d)',
    (seed) => {
      const flags = definitions(seed, 40);
      const differing = CONTEXTS.filter((context) => {
        const answers = bulkAnswers(flags, context).toString('utf8');
        return (
          answers !== straightforward(flags, context) ||
          answers !== ofrepBulk(flags, context).answers
        );
      });
      expect(differing).toEqual([]);
    },
  );

  it.each([
    ['no flag', []],
    [
      'only flags fixed for everyone',
      [flagDef({ name: 'a' }), flagDef({ name: 'b', enabled: false })],
    ],
    ['only flags that depend on the user', [flagDef({ name: 'a', rolloutPercentage: 50 })]],
    [
      'fixed, varying, varying, fixed',
      [
        flagDef({ name: 'a', rolloutPercentage: 0 }),
        flagDef({ name: 'b', rolloutPercentage: 50 }),
        flagDef({ name: 'c', rolloutPercentage: 30 }),
        flagDef({ name: 'd' }),
      ],
    ],
  ])('keeps the order and the commas with %s', (_, flags: FlagDefinition[]) => {
    for (const context of CONTEXTS.slice(0, 10))
      expect(bulkAnswers(flags, context).toString('utf8')).toBe(straightforward(flags, context));
  });

  it('frames the answers between a head and a tail, in one buffer', () => {
    const flags = definitions(9, 20);
    for (const context of CONTEXTS.slice(0, 10))
      expect(
        bulkAnswers(flags, context, Buffer.from('{"flags":'), Buffer.from(',"x":1}')).toString(
          'utf8',
        ),
      ).toBe(`{"flags":${straightforward(flags, context)},"x":1}`);
  });

  it('rebuilds the fixed part for a new list: a changed flag is seen, fixed or not', () => {
    const before = [
      flagDef({ name: 'fixed', revision: 1 }),
      flagDef({ name: 'half', rolloutPercentage: 50, revision: 2 }),
    ];
    const context: EvaluationContext = { userId: 'user-7', attributes: {} };
    expect(bulkAnswers(before, context).toString('utf8')).toBe(straightforward(before, context));
    // The reader hands out a new list (and new definitions) when any flag changes.
    const after = [
      { ...before[0], enabled: false, revision: 3 },
      { ...before[1], rolloutPercentage: 100, revision: 4 },
    ];
    const answers = JSON.parse(bulkAnswers(after, context).toString('utf8')) as unknown[];
    expect(answers).toEqual([
      expect.objectContaining({ key: 'fixed', value: false, reason: 'DISABLED' }),
      expect.objectContaining({ key: 'half', value: true, reason: 'STATIC' }),
    ]);
    expect(bulkAnswers(after, context).toString('utf8')).toBe(straightforward(after, context));
  });
});
