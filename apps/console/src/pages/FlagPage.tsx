import { useEffect, useState } from 'react';
import { Button, Switch } from 'react-aria-components';
import { Link } from 'wouter';
import { ApiError } from '../api/client';
import { useArchiveFlag, useFlag, useUpdateFlag } from '../api/queries';
import { OPERATORS, type FlagDefinition, type FlagDetails, type FlagType } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import {
  described,
  FieldMessage,
  fieldId,
  PathInput,
  PathSelect,
} from '../components/FieldMessage';
import { FlagTabs } from '../components/FlagTabs';
import { RemoveButton } from '../components/RemoveButton';
import {
  emptyCondition,
  emptyRule,
  toDraft,
  toPatch,
  weightTotal,
  type Draft,
  type Problems,
} from '../draft';
import { flagState, json } from '../format';
import { useSession } from '../session';

export function FlagPage({ name }: { name: string }) {
  const flag = useFlag(name);
  return (
    <>
      <div className="page-head">
        <h1>
          <span className="muted-label">Flag </span>
          {name}
        </h1>
        {flag.data && (
          <span className={`state state-${flagState(flag.data.flag_data)}`}>
            {flagState(flag.data.flag_data)}
          </span>
        )}
      </div>
      <FlagTabs name={name} />
      {flag.isPending && <p>Loading…</p>}
      {flag.isError &&
        (flag.error instanceof ApiError && flag.error.status === 404 ? (
          <p role="status">
            There is no live flag called <strong>{name}</strong>: it is archived or was never
            created. Its <Link href={`/flags/${encodeURIComponent(name)}/history`}>history</Link>{' '}
            can restore it.
          </p>
        ) : (
          <p className="error" role="alert">
            Could not load the flag: {flag.error.message}
          </p>
        ))}
      {flag.data && <Editor key={name} flag={flag.data} />}
    </>
  );
}

type Conflict = { current?: FlagDetails; message: string };

/** " (now at revision 12, by ops)": what the server says of the change, as far as it says. */
function movedBy(flag: FlagDetails): string {
  const parts = [
    flag.revision !== undefined ? `now at revision ${flag.revision}` : '',
    flag.updated_by ? `by ${flag.updated_by}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function Editor({ flag }: { flag: FlagDetails }) {
  const { canEdit } = useSession();
  const extended = flag.flag_data.type !== undefined;
  // What the draft was made from: when the server's flag moves on while the admin edits, the
  // draft is kept and the page says so, instead of silently replacing their work.
  const [base, setBase] = useState<FlagDefinition>(flag.flag_data);
  const [baseRevision, setBaseRevision] = useState(flag.revision);
  const [draft, setDraft] = useState<Draft>(() => toDraft(flag.flag_data));
  const [problems, setProblems] = useState<Problems>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saved, setSaved] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const update = useUpdateFlag();
  const archive = useArchiveFlag();

  const dirty = json(toDraft(base)) !== json(draft);
  const moved = json(base) !== json(flag.flag_data) || baseRevision !== flag.revision;

  const load = (next: FlagDetails) => {
    setBase(next.flag_data);
    setBaseRevision(next.revision);
    setDraft(toDraft(next.flag_data));
    setProblems({});
    setConflict(null);
    setServerError(null);
  };

  useEffect(() => {
    if (moved && !dirty) load(flag);
  }, [flag, moved, dirty]);

  const change = (next: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...next }));
    setSaved(false);
  };

  const save = () => {
    const result = toPatch(draft, extended);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    setServerError(null);
    const patch = {
      ...result.patch,
      ...(baseRevision === undefined ? {} : { expected_revision: baseRevision }),
    };
    update.mutate(
      { name: flag.flag_name, patch },
      {
        onSuccess: (r) => {
          setBase(r.flag_data);
          setBaseRevision(r.revision);
          setDraft(toDraft(r.flag_data));
          setSaved(true);
        },
        onError: (e) => {
          if (e instanceof ApiError && e.status === 409) {
            setConflict({ current: e.body.current, message: e.message });
          } else if (e instanceof ApiError && e.status === 400 && e.field) {
            setProblems({ [e.field]: e.message });
            setServerError(`Not saved: ${e.message}`);
          } else {
            setServerError(`Not saved: ${e.message}`);
          }
        },
      },
    );
  };

  if (!canEdit) return <ReadOnlyDefinition flag={flag} />;

  return (
    <form
      className="editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      aria-label={`Definition of ${flag.flag_name}`}
    >
      {moved && dirty && !conflict && (
        <div className="notice" role="status">
          <p>
            Someone changed this flag while you were editing it{movedBy(flag)}. Your changes are
            kept; saving will be refused until you load their version.
          </p>
          <Button className="button" onPress={() => load(flag)}>
            Discard my changes and load theirs
          </Button>
        </div>
      )}
      {conflict && (
        <div className="notice conflict" role="alert">
          <p>
            <strong>Not saved: someone else changed this flag</strong> since you opened it.{' '}
            {conflict.message}
          </p>
          {conflict.current && (
            <>
              <p>Their version (revision {conflict.current.revision}):</p>
              <pre className="code">{json(conflict.current.flag_data)}</pre>
              <Button className="button" onPress={() => conflict.current && load(conflict.current)}>
                Load their version
              </Button>
            </>
          )}
        </div>
      )}
      {serverError && !conflict && (
        <p className="error" role="alert">
          {serverError}
        </p>
      )}
      {saved && !dirty && (
        <p className="success" role="status">
          Saved{baseRevision !== undefined ? ` (revision ${baseRevision})` : ''}.
        </p>
      )}

      <fieldset>
        <legend>Serving</legend>
        <Switch
          className="switch labeled"
          isSelected={draft.enabled}
          onChange={(enabled) => change({ enabled })}
        >
          <span className="track" aria-hidden="true">
            <span className="thumb" />
          </span>
          Enabled
        </Switch>
        <FieldMessage path="enabled" message={problems.enabled} />
        <div className="field">
          <label htmlFor="field-rollout_percentage">Rollout (% of users)</label>
          <div className="rollout">
            <input
              type="range"
              min={0}
              max={100}
              step={1}
              value={draft.rollout}
              aria-label="Rollout slider"
              onChange={(e) => change({ rollout: Number(e.target.value) })}
            />
            <input
              type="number"
              min={0}
              max={100}
              step={1}
              inputMode="numeric"
              value={Number.isNaN(draft.rollout) ? '' : draft.rollout}
              onChange={(e) => change({ rollout: e.target.valueAsNumber })}
              {...described('rollout_percentage', problems.rollout_percentage)}
            />
          </div>
          <FieldMessage path="rollout_percentage" message={problems.rollout_percentage} />
        </div>
      </fieldset>

      <fieldset>
        <legend>Metadata</legend>
        <div className="field">
          <label htmlFor="field-metadata">Metadata (a JSON object)</label>
          <textarea
            rows={6}
            spellCheck={false}
            value={draft.metadata}
            onChange={(e) => {
              change({ metadata: e.target.value });
              setProblems((p) => ({ ...p, metadata: '' }));
            }}
            {...described('metadata', problems.metadata)}
          />
          <FieldMessage path="metadata" message={problems.metadata} />
        </div>
      </fieldset>

      {extended && <VariantsEditor draft={draft} change={change} problems={problems} />}
      {extended && <RulesEditor draft={draft} change={change} problems={problems} />}

      <div className="actions sticky">
        <Button type="submit" className="button primary" isDisabled={update.isPending || !dirty}>
          {update.isPending ? 'Saving…' : 'Save'}
        </Button>
        <Button className="button" isDisabled={!dirty} onPress={() => load(flag)}>
          Discard changes
        </Button>
        <span className="spacer" />
        <Button className="button danger" onPress={() => setArchiving(true)}>
          Archive…
        </Button>
      </div>
      <ConfirmDialog
        isOpen={archiving}
        title={`Archive ${flag.flag_name}?`}
        confirmLabel="Archive"
        danger
        busy={archive.isPending}
        onCancel={() => setArchiving(false)}
        onConfirm={() =>
          archive.mutate(flag.flag_name, {
            onSettled: () => setArchiving(false),
            onError: (e) => setServerError(`Not archived: ${e.message}`),
          })
        }
      >
        <p>
          Checks of <strong>{flag.flag_name}</strong> will answer 404 on every instance. Its history
          is kept and it can be restored from there.
        </p>
      </ConfirmDialog>
    </form>
  );
}

type EditorProps = { draft: Draft; change: (next: Partial<Draft>) => void; problems: Problems };

const TYPES: FlagType[] = ['boolean', 'string', 'number', 'object'];

function VariantsEditor({ draft, change, problems }: EditorProps) {
  const total = weightTotal(draft);
  const setVariant = (i: number, next: Partial<Draft['variants'][number]>) =>
    change({ variants: draft.variants.map((v, j) => (j === i ? { ...v, ...next } : v)) });
  return (
    <fieldset>
      <legend>Type and variants</legend>
      <div className="field">
        <label htmlFor="field-type">Type</label>
        <select
          value={draft.type}
          onChange={(e) => change({ type: e.target.value as FlagType })}
          {...described('type', problems.type)}
        >
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <FieldMessage path="type" message={problems.type} />
      </div>
      {draft.type !== 'boolean' && (
        <>
          <table className="variants">
            <caption>Variants (weights in % of users; they total 100%, or are all 0)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">Weight %</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.variants.map((v, i) => (
                <tr key={i}>
                  <td>
                    <PathInput
                      path={`variants[${i}].name`}
                      problems={problems}
                      aria-label={`Variant ${i + 1} name`}
                      value={v.name}
                      onChange={(e) => setVariant(i, { name: e.target.value })}
                    />
                  </td>
                  <td>
                    <PathInput
                      path={`variants[${i}].value`}
                      problems={problems}
                      aria-label={`Variant ${i + 1} value`}
                      value={v.value}
                      spellCheck={false}
                      onChange={(e) => setVariant(i, { value: e.target.value })}
                    />
                  </td>
                  <td>
                    <PathInput
                      path={`variants[${i}].weight`}
                      problems={problems}
                      aria-label={`Variant ${i + 1} weight in percent`}
                      type="number"
                      min={0}
                      max={100}
                      step={0.1}
                      value={v.percent}
                      onChange={(e) => setVariant(i, { percent: e.target.value })}
                    />
                  </td>
                  <td>
                    <RemoveButton
                      label={`Remove variant ${i + 1}`}
                      onPress={() => change({ variants: draft.variants.filter((_, j) => j !== i) })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={total === 1000 || total === 0 ? 'hint' : 'error'} aria-live="polite">
            Total: {total / 10}%
          </p>
          <FieldMessage path="variants" message={problems.variants} />
          <Button
            className="button"
            onPress={() =>
              change({ variants: [...draft.variants, { name: '', value: '', percent: '0' }] })
            }
          >
            Add variant
          </Button>
          <div className="field">
            <label htmlFor="field-default_variant">Default variant (served when off)</label>
            <select
              value={draft.default_variant}
              onChange={(e) => change({ default_variant: e.target.value })}
              {...described('default_variant', problems.default_variant)}
            >
              <option value="">(none)</option>
              {draft.variants
                .filter((v) => v.name)
                .map((v) => (
                  <option key={v.name}>{v.name}</option>
                ))}
            </select>
            <FieldMessage path="default_variant" message={problems.default_variant} />
          </div>
        </>
      )}
    </fieldset>
  );
}

function RulesEditor({ draft, change, problems }: EditorProps) {
  const setRule = (i: number, next: Partial<Draft['rules'][number]>) =>
    change({ rules: draft.rules.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  const move = (i: number, by: number) => {
    const rules = [...draft.rules];
    const [rule] = rules.splice(i, 1);
    rules.splice(i + by, 0, rule);
    change({ rules });
  };
  return (
    <fieldset>
      <legend>Targeting rules (the first that matches decides)</legend>
      {draft.rules.length === 0 && (
        <p className="hint">No rules: the rollout decides for everyone.</p>
      )}
      <FieldMessage path="rules" message={problems.rules} />
      <ol className="rules">
        {draft.rules.map((rule, i) => {
          const p = `rules[${i}]`;
          const setCondition = (
            k: number,
            next: Partial<Draft['rules'][number]['conditions'][number]>,
          ) =>
            setRule(i, {
              conditions: rule.conditions.map((c, j) => (j === k ? { ...c, ...next } : c)),
            });
          return (
            <li key={i} className="rule">
              <div className="rule-head">
                <div className="field">
                  <label htmlFor={fieldId(`${p}.name`)}>Rule {i + 1} name</label>
                  <PathInput
                    path={`${p}.name`}
                    problems={problems}
                    value={rule.name}
                    onChange={(e) => setRule(i, { name: e.target.value })}
                  />
                </div>
                <div className="field narrow">
                  <label htmlFor={fieldId(`${p}.rollout_percentage`)}>Rollout %</label>
                  <PathInput
                    path={`${p}.rollout_percentage`}
                    problems={problems}
                    type="number"
                    min={0}
                    max={100}
                    placeholder="100"
                    value={rule.rollout}
                    onChange={(e) => setRule(i, { rollout: e.target.value })}
                  />
                </div>
                {draft.type !== 'boolean' && (
                  <div className="field">
                    <label htmlFor={fieldId(`${p}.variant`)}>Variant</label>
                    <PathSelect
                      path={`${p}.variant`}
                      problems={problems}
                      value={rule.variant}
                      onChange={(e) => setRule(i, { variant: e.target.value })}
                    >
                      <option value="">(the split)</option>
                      {draft.variants
                        .filter((v) => v.name)
                        .map((v) => (
                          <option key={v.name}>{v.name}</option>
                        ))}
                    </PathSelect>
                  </div>
                )}
              </div>
              <table className="conditions">
                <caption>Conditions of rule {i + 1} (all must hold)</caption>
                <thead>
                  <tr>
                    <th scope="col">Attribute</th>
                    <th scope="col">Operator</th>
                    <th scope="col">Values (comma-separated)</th>
                    <th scope="col">Options</th>
                    <th scope="col">
                      <span className="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rule.conditions.map((c, k) => {
                    const cp = `${p}.conditions[${k}]`;
                    return (
                      <tr key={k}>
                        <td>
                          <PathInput
                            path={`${cp}.attribute`}
                            problems={problems}
                            aria-label={`Rule ${i + 1} condition ${k + 1} attribute`}
                            value={c.attribute}
                            onChange={(e) => setCondition(k, { attribute: e.target.value })}
                          />
                        </td>
                        <td>
                          <PathSelect
                            path={`${cp}.operator`}
                            problems={problems}
                            aria-label={`Rule ${i + 1} condition ${k + 1} operator`}
                            value={c.operator}
                            onChange={(e) =>
                              setCondition(k, {
                                operator: e.target.value as (typeof OPERATORS)[number],
                              })
                            }
                          >
                            {OPERATORS.map((o) => (
                              <option key={o}>{o}</option>
                            ))}
                          </PathSelect>
                        </td>
                        <td>
                          <PathInput
                            path={`${cp}.values`}
                            problems={problems}
                            aria-label={`Rule ${i + 1} condition ${k + 1} values`}
                            value={c.values}
                            onChange={(e) => setCondition(k, { values: e.target.value })}
                          />
                        </td>
                        <td className="checks">
                          <label>
                            <input
                              type="checkbox"
                              checked={c.inverted}
                              onChange={(e) => setCondition(k, { inverted: e.target.checked })}
                            />{' '}
                            not
                          </label>
                          <label>
                            <input
                              type="checkbox"
                              checked={c.case_insensitive}
                              onChange={(e) =>
                                setCondition(k, { case_insensitive: e.target.checked })
                              }
                            />{' '}
                            ignore case
                          </label>
                        </td>
                        <td>
                          <RemoveButton
                            label={`Remove condition ${k + 1} of rule ${i + 1}`}
                            onPress={() =>
                              setRule(i, { conditions: rule.conditions.filter((_, j) => j !== k) })
                            }
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div className="actions">
                <Button
                  className="button"
                  onPress={() => setRule(i, { conditions: [...rule.conditions, emptyCondition()] })}
                >
                  Add condition
                </Button>
                <Button className="button quiet" isDisabled={i === 0} onPress={() => move(i, -1)}>
                  Move up
                </Button>
                <Button
                  className="button quiet"
                  isDisabled={i === draft.rules.length - 1}
                  onPress={() => move(i, 1)}
                >
                  Move down
                </Button>
                <Button
                  className="button quiet"
                  onPress={() => change({ rules: draft.rules.filter((_, j) => j !== i) })}
                >
                  Remove rule {i + 1}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <Button className="button" onPress={() => change({ rules: [...draft.rules, emptyRule()] })}>
        Add rule
      </Button>
    </fieldset>
  );
}

function ReadOnlyDefinition({ flag }: { flag: FlagDetails }) {
  const d = flag.flag_data;
  return (
    <section aria-label={`Definition of ${flag.flag_name}`}>
      <p className="hint">Read-only: sign in with an admin token to change flags.</p>
      <dl className="facts">
        <dt>Enabled</dt>
        <dd>{d.enabled ? 'yes' : 'no'}</dd>
        <dt>Rollout</dt>
        <dd>{d.rollout_percentage}%</dd>
        <dt>Type</dt>
        <dd>{d.type ?? 'boolean'}</dd>
        {flag.revision !== undefined && (
          <>
            <dt>Revision</dt>
            <dd>{flag.revision}</dd>
          </>
        )}
      </dl>
      <h2>Metadata</h2>
      <pre className="code">{json(d.metadata)}</pre>
      {d.variants && d.variants.length > 0 && (
        <>
          <h2>Variants</h2>
          <pre className="code">{json(d.variants)}</pre>
        </>
      )}
      {d.rules && d.rules.length > 0 && (
        <>
          <h2>Rules</h2>
          <pre className="code">{json(d.rules)}</pre>
        </>
      )}
    </section>
  );
}
