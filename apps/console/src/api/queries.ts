import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import type { FlagUpdate } from './types';

// The one data-fetching layer: every read goes through these keys, and every write invalidates
// what it changed, so all open views agree. Polling keeps the views current while nothing pushes
// changes to the browser.
export const keys = {
  flags: ['flags'] as const,
  flag: (name: string) => ['flag', name] as const,
  evaluation: (name: string, context: Record<string, string>) =>
    ['evaluation', name, context] as const,
  history: (name: string) => ['history', name] as const,
  lastChange: (name: string) => ['history', name, 'last'] as const,
  cacheStats: ['cache-stats'] as const,
  health: ['health'] as const,
};

const LIVE_MS = 5000;

export const useFlags = () =>
  useQuery({ queryKey: keys.flags, queryFn: api.flags, refetchInterval: LIVE_MS });

export const useFlag = (name: string) =>
  useQuery({
    queryKey: keys.flag(name),
    queryFn: () => api.flag(name),
    refetchInterval: LIVE_MS,
    retry: false,
  });

export const useEvaluation = (name: string, context: Record<string, string> | null) =>
  useQuery({
    queryKey: keys.evaluation(name, context ?? {}),
    queryFn: () => api.flag(name, context ?? {}),
    enabled: context !== null,
    retry: false,
  });

export const useLastChange = (name: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.lastChange(name),
    queryFn: () => api.history(name, 1),
    enabled,
    select: (h) => h.entries[0] ?? null,
    staleTime: LIVE_MS,
  });

export const useHistory = (name: string, pageSize = 10) =>
  useInfiniteQuery({
    queryKey: keys.history(name),
    queryFn: ({ pageParam }) => api.history(name, pageSize, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: LIVE_MS,
  });

export const useCacheStats = () =>
  useQuery({
    queryKey: keys.cacheStats,
    queryFn: api.cacheStats,
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });

export const useHealth = () =>
  useQuery({ queryKey: keys.health, queryFn: api.health, refetchInterval: LIVE_MS });

function useRefreshFlag() {
  const client = useQueryClient();
  return (name: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.flags }),
      client.invalidateQueries({ queryKey: keys.flag(name) }),
      client.invalidateQueries({ queryKey: ['history', name] }),
      client.invalidateQueries({ queryKey: ['evaluation', name] }),
    ]);
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
