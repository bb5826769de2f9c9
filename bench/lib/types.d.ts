// Shapes shared by the benchmark modules (JavaScript checked by tsc through JSDoc: see
// bench/README.md). Only types: nothing here exists at run time.
import type { ChildProcess } from 'node:child_process';

/** A child process started by childProcesses().startChild(). */
export type Child = ChildProcess & {
  label: string;
  /** The last 8,000 characters of its stdout and stderr, for error messages. */
  output: string;
  exited: Promise<void>;
  /** Exit code, or the signal that ended it; undefined while it runs. */
  exitCode_?: number | string | null;
  exitedAt?: bigint;
};

export interface FlagRule {
  enabled: boolean;
  rollout_percentage: number;
}
export type FlagTable = Record<string, FlagRule>;

/**
 * A response body of the service, parsed from JSON. Every field is optional: a body that is not
 * JSON is kept as its text, whose fields then read undefined.
 */
export interface ServiceBody {
  enabled?: boolean;
  _cache?: string;
  revision?: number;
  created?: boolean;
  status?: string;
  message?: string;
  field?: string;
  database?: { backend?: string };
  cache?: { backend?: string };
  flags?: Array<{ flag_name: string; enabled: boolean; rollout_percentage: number }>;
  [key: string]: unknown;
}

export interface HttpAnswer {
  status: number;
  body: ServiceBody;
  /** Round trip in ms. */
  ms: number;
  /** When the response had been read (process.hrtime.bigint()). */
  at: bigint;
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Another agent than the control connection. */
  via?: import('node:http').Agent;
  /** Without the admin token, as the load sends its checks. */
  anonymous?: boolean;
  /** Sent as JSON. */
  body?: unknown;
}

export type RequestFn = (
  method: string,
  url: string,
  options?: RequestOptions,
) => Promise<HttpAnswer>;

/** An answer read from a raw socket by exchange(): status 0 on a socket error. */
export interface RawAnswer {
  status: number;
  body?: ServiceBody;
  error?: string;
  at: bigint;
}

/** GET /cache/stats, the parts the benchmark reads. */
export interface CacheStats {
  layers: Record<string, { hits: number; misses: number }>;
  db_reads: number;
  stale?: number;
  keys?: number;
  edge: { hits: number };
  redis?: { errors?: number };
  invalidations: { sent?: number; received: number };
  [key: string]: unknown;
}

export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface Quantiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface CpuPct {
  server: number | null;
  loadgen: number | null;
  other: number | null;
}

export interface CpuSnapshot {
  at: bigint;
  server: number;
  self: number;
  machine: number;
}

export interface HitRate {
  hits: number;
  misses: number;
  rate: number | null;
}

export interface Histogram {
  /** [upper bound in s, cumulative count], ascending; Infinity for +Inf. */
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
}

export interface ServerTime {
  requests: number;
  within_1ms: number | null;
  within_0_1ms?: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  p999_ms?: number | null;
  mean_ms: number | null;
  histogram?: Histogram;
}

export interface RoundSummary {
  rps: number;
  p99_ms: number | null;
  cpu_server_pct: number | null;
  cpu_other_pct: number | null;
  server_p50_ms?: number | null;
  server_p99_ms?: number | null;
  server_within_1ms?: number | null;
}

/** One load run, with what the scenario adds to it. */
export interface LoadResult {
  duration_s: number;
  responses: number;
  rps: number;
  rps_autocannon_mean: number;
  latency_ms: LatencySummary;
  autocannon_latency_ms: { p50: number; p99: number; p99_9: number; note: string };
  errors: number;
  timeouts: number;
  non2xx: number;
  status_codes: unknown;
  error_rate: number;
  cpu_pct: CpuPct;
  target_rate: number | null;
  // From the service's counters (withStats):
  hit_rate?: HitRate;
  layers?: string[];
  db_reads?: number;
  stale?: number;
  redis_errors?: number;
  foreign_invalidations?: number;
  server_time?: ServerTime;
  // Per scenario:
  /** nest-floor-check: after its run; memory: around it. */
  rss_kb?: number | RssAround;
  rounds?: RoundSummary[];
  reported_round?: number;
  distinct_users?: number;
  target_users?: number;
  cache_keys?: { before?: number; after?: number };
  updates?: Quantiles & { errors: number };
  after_update_wrong_answers?: { checked: number; wrong: number };
}

export interface RssAround {
  before: number;
  after: number;
  peak_sampled: number;
  vm_hwm: number;
}

/** A run against the service, with its counters (context.appLoad). */
export type MeasuredResult = LoadResult & { hit_rate: HitRate; layers: string[]; db_reads: number };
export type MemoryResult = MeasuredResult & { rss_kb: RssAround; distinct_users: number };
export type MixedResult = MeasuredResult & {
  updates: Quantiles & { errors: number };
  after_update_wrong_answers: { checked: number; wrong: number };
};

/** What a load run is asked for (lib/load.mjs). */
export interface LoadOptions {
  base: string;
  /** The path of the k-th request (k counts the requests of all connections together). */
  pathFor: (k: number) => string;
  seconds: number;
  amount?: number;
  overallRate?: number;
  maxSeconds?: number;
  /** The server's pid, for its CPU time. */
  pid?: number;
  /** GET unless set. */
  method?: 'GET' | 'POST';
  /** The JSON body of the k-th request (POST only). */
  bodyFor?: (k: number) => string;
}

export interface UpdateStats extends Quantiles {
  errors: number;
  error_rate: number;
  revision?: number;
}

export interface MissBurstRun {
  flag: string;
  created?: boolean;
  revision?: number;
  warm_connections: number;
  all_sent_after_ms: number;
  wall_ms: number;
  cpu_pct: CpuPct;
  server_cpu_ms_per_check: number;
  db_reads: number;
  check_layer: { hits: number; misses: number };
  service_layer: { hits: number; misses: number };
  joined_load: number;
  answers: Record<string, number>;
  latency_ms: Quantiles;
  errors: number;
  non2xx: number;
  wrong: number;
}

export interface Staleness {
  updates: number;
  warmup_updates: number;
  flag: string;
  user: string;
  delay_ms: Quantiles;
  polls: Quantiles;
  first_new_answer_cache: Record<string, number>;
  edge_hit_after: { checked: number; hits: number };
  b_counters: { invalidations_received: number; db_reads: number };
  timeouts: number;
  errors: number;
  target_p99_ms: number;
  b_exit_code?: number | string | null;
  b_warnings: string[];
}

/** A scenario that checks itself against a target (scenarios/rules-check.mjs and the like). */
export interface TargetResult {
  /** What is compared, e.g. "rules check / plain check". */
  what: string;
  skipped?: string;
  /** The measured value: a ratio, or a rate. */
  value?: number | null;
  unit?: 'ratio' | 'per_s';
  target?: number;
  pass?: boolean;
  /** Round by round, when it ran interleaved. */
  rounds?: number[];
  detail?: Record<string, unknown>;
}

export interface Results {
  command: string;
  command_line: string;
  date: string;
  /** `git describe --always --dirty` of the checkout measured, or null outside a git checkout. */
  commit?: string | null;
  machine: MachineInfo;
  pinning: string;
  settings: Record<string, number>;
  scenarios: Record<string, LoadResult>;
  checks: Record<string, unknown>;
  notes: string[];
  machine_busy_before_pct?: number | null;
  foreign_subscribers_before_start?: number;
  backends: {
    database: string;
    cache: string;
    health: ServiceBody;
    summary?: string;
  };
  service_rss_kb_after_start?: number;
  seed_flags?: FlagTable;
  check_hit_server_time_all_rounds?: ServerTime & { rounds: number };
  miss_burst?: {
    burst: number;
    bursts: number;
    rollout_percentage: number;
    runs: MissBurstRun[];
    db_reads: number[];
    db_reads_max: number;
    target_db_reads: number;
  };
  update_latency?: { plain: UpdateStats; with_cached_answers?: UpdateStatsWithAnswers | null };
  staleness?: Staleness | { skipped: string };
  events_latency?: EventsLatency | { skipped: string };
  events_fanout?: EventsFanout;
  targets?: Record<string, TargetResult>;
  final_stats?: CacheStats;
  service_warnings?: string[];
  ratios?: Record<
    string,
    {
      throughput_vs_baseline: number;
      p99_vs_baseline: number;
      throughput_vs_nest_floor?: number;
      p99_vs_nest_floor?: number;
    }
  >;
  cost_per_check?: CostPerCheck | null;
  metrics_cost?: MetricsCost | null;
  elapsed_s?: number;
  problems: string[];
  warnings: string[];
}

export interface UpdateStatsWithAnswers extends UpdateStats {
  seeded_answers: number;
  seeded_revision?: number;
  seed_seconds: number;
  dbsize: {
    before_seed: number;
    after_seed: number;
    after_updates: number;
    after_cleanup: number;
  };
}

export interface MachineInfo {
  nproc: number;
  cpu_model: string;
  node: string;
  total_memory_gib: number;
  kernel: string;
}

export interface CostPerCheck {
  baseline_cpu_us: number;
  nest_floor_cpu_us: number;
  check_hit_cpu_us: number;
  check_hit_no_metrics_cpu_us: number | null;
  metrics_cpu_us: number | null;
  framework_us: number;
  edgeflags_us: number;
  framework_share_of_gap: number | null;
  rounds: Array<{
    floor_vs_baseline: number;
    check_vs_floor: number;
    check_vs_baseline: number;
    check_vs_no_metrics?: number;
  }>;
}

export interface MetricsCost {
  rps_ratio: number;
  throughput_cost: number;
  rps_ratio_rounds: number[];
  rps_ratio_median_of_rounds: number | null;
  cpu_us_with: number | null;
  cpu_us_without: number | null;
  cpu_us_cost: number | null;
}

/** events-latency: update on A, then the change on GET /events streams of A and of B. */
export interface EventsLatency {
  updates: number;
  warmup_updates: number;
  flag: string;
  on_a_ms: Quantiles;
  on_b_ms: Quantiles;
  timeouts: number;
  errors: number;
  target_p99_ms: number;
}

/** events-fanout: many open streams on one instance. */
export interface EventsFanout {
  streams: number;
  rounds: number;
  rss_before_kb: number;
  rss_after_kb: number;
  per_stream_kb: number;
  first_stream_ms: Quantiles;
  all_streams_ms: Quantiles;
  incomplete_rounds: number;
}
