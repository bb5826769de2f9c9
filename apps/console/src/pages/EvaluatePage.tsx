import { useState } from 'react';
import { Button } from 'react-aria-components';
import { ApiError } from '../api/client';
import { useEvaluation, useFlag } from '../api/queries';
import { FlagTabs } from '../components/FlagTabs';
import { RemoveButton } from '../components/RemoveButton';
import { json } from '../format';

interface Attribute {
  key: string;
  value: string;
}

export function EvaluatePage({ name }: { name: string }) {
  const [userId, setUserId] = useState('');
  const [attributes, setAttributes] = useState<Attribute[]>([{ key: '', value: '' }]);
  const [context, setContext] = useState<Record<string, string> | null>(null);
  const evaluation = useEvaluation(name, context);
  const flag = useFlag(name);
  const rules = flag.data?.flag_data.rules ?? [];

  const setAttribute = (i: number, next: Partial<Attribute>) =>
    setAttributes((list) => list.map((a, j) => (j === i ? { ...a, ...next } : a)));

  const result = evaluation.data;
  const rule =
    result?.rule_index !== undefined && result.rule_index !== null
      ? rules[result.rule_index]
      : undefined;

  return (
    <>
      <div className="page-head">
        <h1>
          <span className="muted-label">Evaluate </span>
          {name}
        </h1>
      </div>
      <FlagTabs name={name} />
      <form
        className="editor"
        aria-label="Evaluation context"
        onSubmit={(event) => {
          event.preventDefault();
          const next: Record<string, string> = {};
          for (const a of attributes)
            if (a.key.trim() && a.key.trim() !== 'user_id') next[a.key.trim()] = a.value;
          if (userId) next.user_id = userId;
          setContext(next);
        }}
      >
        <div className="field">
          <label htmlFor="eval-user">User id</label>
          <input id="eval-user" value={userId} onChange={(e) => setUserId(e.target.value)} />
        </div>
        <table className="attributes">
          <caption>Attributes</caption>
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {attributes.map((a, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Attribute ${i + 1} name`}
                    placeholder="country"
                    value={a.key}
                    onChange={(e) => setAttribute(i, { key: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Attribute ${i + 1} value`}
                    placeholder="DE"
                    value={a.value}
                    onChange={(e) => setAttribute(i, { value: e.target.value })}
                  />
                </td>
                <td>
                  <RemoveButton
                    label={`Remove attribute ${i + 1}`}
                    onPress={() => setAttributes((list) => list.filter((_, j) => j !== i))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <Button
            className="button"
            onPress={() => setAttributes((l) => [...l, { key: '', value: '' }])}
          >
            Add attribute
          </Button>
          <Button type="submit" className="button primary">
            Evaluate
          </Button>
        </div>
      </form>
      {evaluation.isFetching && <p role="status">Evaluating…</p>}
      {evaluation.isError && (
        <p className="error" role="alert">
          {evaluation.error instanceof ApiError && evaluation.error.status === 404
            ? `${name} is not a live flag.`
            : `Could not evaluate: ${evaluation.error.message}`}
        </p>
      )}
      {result && (
        <section aria-label="Result" className="result" aria-live="polite">
          <h2>Result</h2>
          <dl className="facts">
            <dt>Enabled</dt>
            <dd data-testid="result-enabled">{result.enabled ? 'yes' : 'no'}</dd>
            <dt>Value</dt>
            <dd data-testid="result-value">
              <code>{json(result.value ?? result.enabled)}</code>
            </dd>
            <dt>Variant</dt>
            <dd data-testid="result-variant">{result.variant ?? '—'}</dd>
            <dt>Reason</dt>
            <dd data-testid="result-reason">{result.reason ?? (result.enabled ? 'on' : 'off')}</dd>
            <dt>Matching rule</dt>
            <dd data-testid="result-rule">
              {result.rule_index === undefined || result.rule_index === null
                ? 'none'
                : `${result.rule_index + 1}${rule?.name ? ` (${rule.name})` : ''}`}
            </dd>
          </dl>
        </section>
      )}
    </>
  );
}
