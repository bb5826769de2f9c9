import { useState } from 'react';
import { Button } from 'react-aria-components';
import { ApiError } from '../api/client';
import { useFlag, useHistory, useUpdateFlag } from '../api/queries';
import type { FlagDefinition } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Diff } from '../components/Diff';
import { FlagTabs } from '../components/FlagTabs';
import { ago } from '../format';
import { useSession } from '../session';

export function HistoryPage({ name }: { name: string }) {
  const { canEdit } = useSession();
  const history = useHistory(name);
  const flag = useFlag(name);
  const update = useUpdateFlag();
  const [restoring, setRestoring] = useState<FlagDefinition | null>(null);
  const entries = history.data?.pages.flatMap((p) => p.entries) ?? [];
  const archived =
    flag.error instanceof ApiError && flag.error.status === 404 && entries[0]?.action === 'archive';

  return (
    <>
      <div className="page-head">
        <h1>
          <span className="muted-label">History of </span>
          {name}
        </h1>
        {archived && <span className="state state-archived">archived</span>}
      </div>
      <FlagTabs name={name} />
      {archived && canEdit && entries[0].before && (
        <div className="notice" role="status">
          <p>This flag is archived: checks of it answer 404.</p>
          <Button className="button primary" onPress={() => setRestoring(entries[0].before)}>
            Restore {name}
          </Button>
        </div>
      )}
      {update.isError && (
        <p className="error" role="alert">
          Not restored: {update.error.message}
        </p>
      )}
      {!canEdit && <p className="hint">The history needs an admin token.</p>}
      {history.isPending && canEdit && <p>Loading…</p>}
      {history.isError && (
        <p className="error" role="alert">
          Could not load the history: {history.error.message}
        </p>
      )}
      {history.data && entries.length === 0 && <p>No changes recorded for {name}.</p>}
      <ol className="history" aria-label="Changes, newest first">
        {entries.map((entry) => (
          <li key={entry.id} className="entry">
            <p className="entry-head">
              <span className={`action action-${entry.action}`}>{entry.action}</span> by{' '}
              <strong>{entry.actor}</strong>{' '}
              <time dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>
                {ago(entry.at)}
              </time>
              {entry.revision !== undefined && (
                <span className="hint"> · revision {entry.revision}</span>
              )}
            </p>
            <Diff before={entry.before} after={entry.after} />
          </li>
        ))}
      </ol>
      {history.hasNextPage && (
        <Button
          className="button"
          isDisabled={history.isFetchingNextPage}
          onPress={() => void history.fetchNextPage()}
        >
          {history.isFetchingNextPage ? 'Loading…' : 'Older changes'}
        </Button>
      )}
      <ConfirmDialog
        isOpen={restoring !== null}
        title={`Restore ${name}?`}
        confirmLabel="Restore"
        busy={update.isPending}
        onCancel={() => setRestoring(null)}
        onConfirm={() => {
          if (restoring === null) return;
          update.mutate({ name, patch: restoring }, { onSettled: () => setRestoring(null) });
        }}
      >
        <p>
          <strong>{name}</strong> comes back as it was when it was archived (
          {restoring?.enabled ? `on for ${restoring.rollout_percentage}%` : 'off'}).
        </p>
      </ConfirmDialog>
    </>
  );
}
