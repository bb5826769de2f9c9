import { useMemo, useState } from 'react';
import {
  Button,
  Dialog,
  FieldError,
  Form,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  SearchField,
  Switch,
  TextField,
} from 'react-aria-components';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../api/client';
import { useArchivedFlags, useFlags, useUpdateFlag } from '../api/queries';
import type { FlagListItem } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ago, flagState, type FlagState } from '../format';
import { useSession } from '../session';

type Filter = 'all' | FlagState;
type Sort = 'name' | 'rollout' | 'state';

const FLAG_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function FlagListPage() {
  const { canEdit } = useSession();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  // Archived flags are a list of their own on the server (admins only), fetched when asked for.
  const showArchived = filter === 'archived';
  const live = useFlags();
  const archived = useArchivedFlags(showArchived && canEdit);
  const flags = showArchived ? archived : live;
  const [sort, setSort] = useState<Sort>('name');
  const [toggling, setToggling] = useState<FlagListItem | null>(null);
  const [creating, setCreating] = useState(false);
  const update = useUpdateFlag();

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const list = (flags.data?.flags ?? []).filter(
      (f) =>
        f.flag_name.toLowerCase().includes(needle) &&
        (filter === 'all' || showArchived || flagState(f) === filter),
    );
    const by: Record<Sort, (a: FlagListItem, b: FlagListItem) => number> = {
      name: (a, b) => a.flag_name.localeCompare(b.flag_name),
      rollout: (a, b) => b.rollout_percentage - a.rollout_percentage,
      state: (a, b) => flagState(a).localeCompare(flagState(b)),
    };
    return list.sort((a, b) => by[sort](a, b) || a.flag_name.localeCompare(b.flag_name));
  }, [flags.data, search, filter, sort, showArchived]);

  return (
    <>
      <div className="page-head">
        <h1>Flags</h1>
        {canEdit && (
          <Button className="button primary" onPress={() => setCreating(true)}>
            New flag
          </Button>
        )}
      </div>
      <div className="toolbar" role="search">
        <SearchField value={search} onChange={setSearch} className="field">
          <Label>Search by name</Label>
          <Input />
        </SearchField>
        <div className="field">
          <label htmlFor="filter-state">State</label>
          <select
            id="filter-state"
            value={filter}
            onChange={(e) => setFilter(e.target.value as Filter)}
          >
            <option value="all">All</option>
            <option value="on">On</option>
            <option value="partial">Partial rollout</option>
            <option value="off">Off</option>
            {canEdit && <option value="archived">Archived</option>}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort-by">Sort by</label>
          <select id="sort-by" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="name">Name</option>
            <option value="rollout">Rollout (highest first)</option>
            <option value="state">State</option>
          </select>
        </div>
      </div>
      {flags.isPending && <p>Loading flags…</p>}
      {flags.isError && (
        <p className="error" role="alert">
          Could not load the flags: {flags.error.message}
        </p>
      )}
      {update.isError && (
        <p className="error" role="alert">
          The change was not applied: {update.error.message}
        </p>
      )}
      {flags.data && (
        <>
          <p className="count" aria-live="polite">
            {rows.length} of {flags.data.count} {showArchived ? 'archived flags' : 'flags'}
          </p>
          <table className="flags">
            <thead>
              <tr>
                <th scope="col">Flag</th>
                <th scope="col">State</th>
                <th scope="col">Rollout</th>
                <th scope="col">Type</th>
                <th scope="col">Last change</th>
                {canEdit && <th scope="col">Enabled</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((flag) => (
                <FlagRow
                  key={flag.flag_name}
                  flag={flag}
                  archived={showArchived}
                  onToggle={() => setToggling(flag)}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      <ConfirmDialog
        isOpen={toggling !== null}
        title={toggling ? `Turn ${toggling.enabled ? 'off' : 'on'} ${toggling.flag_name}?` : ''}
        confirmLabel={toggling?.enabled ? 'Turn off' : 'Turn on'}
        danger={toggling?.enabled}
        busy={update.isPending}
        onCancel={() => setToggling(null)}
        onConfirm={() => {
          if (toggling === null) return;
          const patch = {
            enabled: !toggling.enabled,
            ...(toggling.revision === undefined ? {} : { expected_revision: toggling.revision }),
          };
          update.mutate(
            { name: toggling.flag_name, patch },
            { onSettled: () => setToggling(null) },
          );
        }}
      >
        {toggling && (
          <p>
            <strong>{toggling.flag_name}</strong> will be{' '}
            {toggling.enabled
              ? 'off for every user'
              : `on for ${toggling.rollout_percentage}% of users`}{' '}
            on every instance within a second.
          </p>
        )}
      </ConfirmDialog>
      <CreateFlagDialog isOpen={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function lastChange(flag: FlagListItem): string {
  if (!flag.updated_at) return '—';
  return flag.updated_by ? `${flag.updated_by}, ${ago(flag.updated_at)}` : ago(flag.updated_at);
}

function FlagRow({
  flag,
  archived,
  onToggle,
}: {
  flag: FlagListItem;
  archived: boolean;
  onToggle: () => void;
}) {
  const { canEdit } = useSession();
  const state: FlagState = archived ? 'archived' : flagState(flag);
  const page = `/flags/${encodeURIComponent(flag.flag_name)}`;
  return (
    <tr>
      <th scope="row" data-label="Flag">
        {/* An archived flag has no page of its own: its history shows it and restores it. */}
        <Link href={archived ? `${page}/history` : page}>{flag.flag_name}</Link>
      </th>
      <td data-label="State">
        <span className={`state state-${state}`}>{state}</span>
      </td>
      <td data-label="Rollout">{flag.rollout_percentage}%</td>
      <td data-label="Type">{flag.type ?? 'boolean'}</td>
      <td data-label="Last change">
        {flag.updated_at ? <time dateTime={flag.updated_at}>{lastChange(flag)}</time> : '—'}
      </td>
      {canEdit && archived && <td data-label="Enabled">—</td>}
      {canEdit && !archived && (
        <td data-label="Enabled">
          <Switch
            className="switch"
            isSelected={flag.enabled}
            onChange={onToggle}
            aria-label={`Enabled: ${flag.flag_name}`}
          >
            <span className="track" aria-hidden="true">
              <span className="thumb" />
            </span>
          </Switch>
        </td>
      )}
    </tr>
  );
}

function CreateFlagDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [, navigate] = useLocation();
  const update = useUpdateFlag();
  const close = () => {
    setName('');
    setError(null);
    onClose();
  };
  return (
    <ModalOverlay
      className="overlay"
      isOpen={isOpen}
      isDismissable
      onOpenChange={(o) => !o && close()}
    >
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title">New flag</Heading>
          <Form
            validationErrors={error ? { name: error } : undefined}
            onSubmit={(event) => {
              event.preventDefault();
              if (!FLAG_NAME.test(name) || name === '.' || name === '..') {
                setError('Use 1–128 letters, digits, _, - or .');
                return;
              }
              const create = () =>
                update.mutate(
                  { name, patch: { enabled: false } },
                  {
                    onSuccess: () => {
                      close();
                      navigate(`/flags/${encodeURIComponent(name)}`);
                    },
                    onError: (e) => setError(e.message),
                  },
                );
              // An update of a live flag would change it: create only a name that is not live.
              api.flag(name).then(
                () => setError(`${name} already exists`),
                (e: unknown) => {
                  if (e instanceof ApiError && e.status === 404) create();
                  else setError(e instanceof Error ? e.message : String(e));
                },
              );
            }}
          >
            <TextField
              name="name"
              isRequired
              autoFocus
              value={name}
              onChange={(v) => {
                setName(v);
                setError(null);
              }}
              className="field"
            >
              <Label>Name</Label>
              <Input spellCheck={false} />
              <FieldError className="error" />
            </TextField>
            <p className="hint">It starts disabled; you can edit it next.</p>
            <div className="actions">
              <Button className="button" onPress={close}>
                Cancel
              </Button>
              <Button type="submit" className="button primary" isDisabled={update.isPending}>
                Create
              </Button>
            </div>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
