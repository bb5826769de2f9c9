import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { tokenStore } from '../api/client';
import { openChangeStream, type StreamState } from './change-stream';

// The views learn of flag changes from the service's change stream: each change invalidates the
// queries it affects, which refetch at once. Polling is only the fallback, and slow.

/** Every query that shows a flag, by the first part of its key (see api/queries.ts `keys`). */
const FLAG_QUERIES = new Set(['flags', 'flag', 'history', 'evaluation']);

/** What one flag's change makes stale: the lists, its page, its history, its evaluations. */
export function refreshFlag(client: QueryClient, name: string): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['flags'] }),
    client.invalidateQueries({ queryKey: ['flag', name] }),
    client.invalidateQueries({ queryKey: ['history', name] }),
    client.invalidateQueries({ queryKey: ['evaluation', name] }),
  ]);
}

const refreshAllFlags = (client: QueryClient) =>
  client.invalidateQueries({ predicate: (q) => FLAG_QUERIES.has(String(q.queryKey[0])) });

/**
 * How often flag views poll: not at all while the stream is open; every 30 s while it is down
 * (a safety net, not a second channel: the stream resumes with Last-Event-ID and replays what it
 * missed); every 5 s, as before the stream existed, when the server has none (an older version).
 */
export function pollInterval(state: StreamState): number | false {
  switch (state) {
    case 'open':
      return false;
    case 'unsupported':
      return 5_000;
    case 'connecting':
    case 'down':
      return 30_000;
  }
}

const LiveContext = createContext<StreamState>('unsupported');

export const useLiveState = () => useContext(LiveContext);
export const useFlagPoll = () => pollInterval(useLiveState());

/** Opens the change stream while signed in (children are the signed-in console). */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(
    () =>
      openChangeStream({
        token: tokenStore.get,
        onState: setState,
        onChange: (change) => void refreshFlag(client, change.flag),
        onResync: () => void refreshAllFlags(client),
      }),
    [client],
  );
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

const LABELS: Record<StreamState, { text: string; title: string }> = {
  open: { text: 'live', title: 'Changes made anywhere show here as they happen' },
  connecting: { text: 'connecting…', title: 'Connecting to the change stream' },
  down: {
    text: 'reconnecting…',
    title: 'The change stream is down: reconnecting, and refreshing every 30 s meanwhile',
  },
  unsupported: {
    text: 'refresh 5 s',
    title: 'This service has no change stream: the views refresh every 5 s',
  },
};

/** The stream's state, small, in the header. */
export function LiveBadge() {
  const state = useLiveState();
  const label = LABELS[state];
  return (
    <span
      className={state === 'open' ? 'badge live' : 'badge muted'}
      title={label.title}
      data-stream={state}
    >
      {label.text}
    </span>
  );
}
