// The wire shapes of the edgeflags API, as the console reads and writes them. Fields added by
// targeting and variants (issue 7) are optional: the console works with servers before and after.

export type CacheSource = 'hit' | 'miss' | 'stale';
export type FlagType = 'boolean' | 'string' | 'number' | 'object';
export type Reason = 'DISABLED' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'STATIC';
export type ChangeAction = 'create' | 'update' | 'restore' | 'archive';

export const OPERATORS = [
  'IN',
  'NOT_IN',
  'STR_CONTAINS',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_LT',
  'IN_CIDR',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Variant {
  name: string;
  value: unknown;
  /** 0–1000; the weights of a split sum to 1000. */
  weight: number;
}

export interface Condition {
  attribute: string;
  operator: Operator;
  values: string[];
  inverted?: boolean;
  case_insensitive?: boolean;
}

export interface Rule {
  name?: string;
  conditions: Condition[];
  rollout_percentage?: number;
  variant?: string;
}

/** What an admin edits. */
export interface FlagDefinition {
  enabled: boolean;
  rollout_percentage: number;
  metadata: Record<string, unknown>;
  type?: FlagType;
  variants?: Variant[];
  default_variant?: string | null;
  rules?: Rule[];
}

/** Who last wrote the flag, and when; absent from servers before them, null for the seed's flags. */
export interface LastChange {
  updated_at?: string | null;
  updated_by?: string | null;
}

export interface FlagListItem extends FlagDefinition, LastChange {
  flag_name: string;
  revision?: number;
}

export interface FlagList {
  flags: FlagListItem[];
  count: number;
  _cache: CacheSource;
}

export interface FlagDetails extends LastChange {
  flag_name: string;
  enabled: boolean;
  flag_data: FlagDefinition;
  revision?: number;
  value?: unknown;
  variant?: string | null;
  reason?: Reason;
  rule_index?: number | null;
  _cache: CacheSource;
}

export type FlagUpdate = Partial<FlagDefinition> & { expected_revision?: number };

export interface FlagUpdateResult {
  flag_name: string;
  created: boolean;
  action: ChangeAction;
  revision: number;
  flag_data: FlagDefinition;
}

export interface HistoryEntry {
  id: string;
  action: ChangeAction;
  actor: string;
  at: string;
  before: FlagDefinition | null;
  after: FlagDefinition | null;
  revision?: number;
}

export interface FlagHistory {
  flag_name: string;
  entries: HistoryEntry[];
  next_cursor: string | null;
}

export interface Session {
  role: 'admin' | 'client';
  name: string;
  open: boolean;
}

export interface LayerStats {
  hits: number;
  misses: number;
  hit_rate: number;
}

export interface CacheStats {
  scope: string;
  hits: number;
  misses: number;
  hit_rate: number;
  layers: Record<'check' | 'endpoint' | 'service' | 'list', LayerStats>;
  edge: { flags: number; max_flags: number; hits: number };
  /** The OFREP bulk answers of recent contexts (a client-side provider polling). */
  ofrep_bulk_memo: LayerStats & { entries: number; bytes: number; max_bytes: number };
  redis: { state: string; hits: number; errors: number };
  invalidations: { sent: number; received: number };
  keys: number | null;
  db_reads: number;
  stale: number;
  uptime_s: number;
}

export interface Health {
  status: 'ok' | 'degraded';
  database: { status: 'up' | 'down'; backend: string };
  cache: { status: 'up' | 'down'; backend: string };
}

/** The API's error body: 400s name the offending `field`; a 409 carries the flag as it now is. */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  field?: string;
  current?: FlagDetails;
}
