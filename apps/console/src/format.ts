import type { FlagDefinition } from './api/types';

export type FlagState = 'on' | 'off' | 'partial' | 'archived';

/**
 * on: everyone (no rule narrows it); partial: some users; off: nobody (disabled, or enabled at
 * 0% with every rule at 0% too: no user can be in).
 */
export function flagState(flag: FlagDefinition): Exclude<FlagState, 'archived'> {
  if (!flag.enabled) return 'off';
  const rules = (flag.rules ?? []).map((r) => r.rollout_percentage ?? 100);
  if (flag.rollout_percentage === 0 && rules.every((p) => p === 0)) return 'off';
  return flag.rollout_percentage < 100 || rules.some((p) => p < 100) ? 'partial' : 'on';
}

/** Weights are thousandths; people think in percent. */
export const weightToPercent = (weight: number) => weight / 10;
export const percentToWeight = (percent: number) => Math.round(percent * 10);

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export const kib = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString('en')} KiB`;

export const json = (value: unknown) => JSON.stringify(value, null, 2);
