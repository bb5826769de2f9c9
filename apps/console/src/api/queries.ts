import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { refreshFlag, useFlagPoll } from '../live/live';
import { api } from './client';
import type { FlagUpdate } from './types';

// The one data-fetching layer: every read goes through these keys, and every write invalidates
// what it changed, so all open views agree. Changes made elsewhere arrive through the change
// stream (live/live.tsx), which invalidates the same keys; flag views poll only as its fallback.
export const keys = {
  flags: ['flags'] as const,
  archivedFlags: ['flags', 'archived'] as const,
  flag: (name: string) => ['flag', name] as const,
  evaluation: (name: string, context: Record<string, string>) =>
    ['evaluation', name, context] as const,
  history: (name: string) => ['history', name] as const,
  cacheStats: ['cache-stats'] as const,
  health: ['health'] as const,
};

/** Metrics (cache and health) are not flag changes: the stream does not carry them. */
const METRICS_MS = 5000;

export const useFlags = () =>
  useQuery({ queryKey: keys.flags, queryFn: api.flags, refetchInterval: useFlagPoll() });

export const useArchivedFlags = (enabled: boolean) =>
  useQuery({
    queryKey: keys.archivedFlags,
    queryFn: api.archivedFlags,
    enabled,
    refetchInterval: useFlagPoll(),
  });

export const useFlag = (name: string) =>
  useQuery({
    queryKey: keys.flag(name),
    queryFn: () => api.flag(name),
    refetchInterval: useFlagPoll(),
    retry: false,
  });

export const useEvaluation = (name: string, context: Record<string, string> | null) =>
  useQuery({
    queryKey: keys.evaluation(name, context ?? {}),
    queryFn: () => api.flag(name, context ?? {}),
    enabled: context !== null,
    retry: false,
  });

export const useHistory = (name: string, pageSize = 10) =>
  useInfiniteQuery({
    queryKey: keys.history(name),
    queryFn: ({ pageParam }) => api.history(name, pageSize, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: useFlagPoll(),
  });

export const useCacheStats = () =>
  useQuery({
    queryKey: keys.cacheStats,
    queryFn: api.cacheStats,
    refetchInterval: METRICS_MS,
    placeholderData: keepPreviousData,
  });

export const useHealth = () =>
  useQuery({ queryKey: keys.health, queryFn: api.health, refetchInterval: METRICS_MS });

function useRefreshFlag() {
  const client = useQueryClient();
  return (name: string) => refreshFlag(client, name);
}

export function useUpdateFlag() {
  const refresh = useRefreshFlag();
  return useMutation({
    mutationFn: ({ name, patch }: { name: string; patch: FlagUpdate }) => api.update(name, patch),
    onSettled: (_data, _error, { name }) => refresh(name),
  });
}

export function useArchiveFlag() {
  const refresh = useRefreshFlag();
  return useMutation({
    mutationFn: (name: string) => api.archive(name),
    onSettled: (_data, _error, name) => refresh(name),
  });
}
