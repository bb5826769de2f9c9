// @ts-check
// The figures derived from a run (ratios, CPU per check, metrics cost) and the tables printed at
// its end and written into docs/benchmarks.md. Everything here reads only the results, so
// `node bench/run.mjs --docs-only` renders the same tables from bench/results/latest.json.
import { CHECK_ROUTE } from './histogram.mjs';
import { fmt, fmtMs, pct } from './format.mjs';
import { median } from './stats.mjs';

/**
 * @typedef {import('./types').Results} Results
 * @typedef {import('./types').CostPerCheck} CostPerCheck
 * @typedef {import('./types').MetricsCost} MetricsCost
 * @typedef {import('./types').ServerTime} ServerTime
 * @typedef {import('./types').LatencySummary} LatencySummary
 * @typedef {ReturnType<typeof renderTables>} Tables
 */

/**
 * Every scenario against the saturated baseline-check and nest-floor-check runs.
 * @param {Results} r
 * @returns {NonNullable<Results['ratios']>}
 */
export function ratios(r) {
  const base = r.scenarios['baseline-check'];
  const floor = r.scenarios['nest-floor-check'];
  /** @type {NonNullable<Results['ratios']>} */
  const out = {};
  if (!base) return out; // a run of selected scenarios without the interleaved rounds
  for (const [name, s] of Object.entries(r.scenarios)) {
    if (name === 'baseline-check') continue;
    out[name] = {
      throughput_vs_baseline: s.rps / base.rps,
      p99_vs_baseline: ratio(s.latency_ms.p99, base.latency_ms.p99),
    };
    if (name !== 'nest-floor-check' && floor) {
      out[name].throughput_vs_nest_floor = s.rps / floor.rps;
      out[name].p99_vs_nest_floor = ratio(s.latency_ms.p99, floor.latency_ms.p99);
    }
  }
  return out;
}

/** a / b as JavaScript divides numbers (a null is 0). @param {number | null} a @param {number | null} b */
const ratio = (a, b) => Number(a) / Number(b);

/**
 * Server CPU time per saturated check (CPU % x 1 s / req/s), for the bare floor, the Nest floor
 * and the service: which part of the gap to bare node:http is NestJS + Fastify's own pipeline.
 * Medians over the interleaved rounds, and the ratios of each round (adjacent runs).
 * @param {Results} r
 * @returns {CostPerCheck | null}
 */
export function costPerCheck(r) {
  /** @param {string} name */
  const rounds = (name) => {
    const s = r.scenarios[name];
    if (!s) return null;
    return (s.rounds ?? [{ rps: s.rps, cpu_server_pct: s.cpu_pct.server }]).map((x) => ({
      rps: x.rps,
      cpu_us: x.cpu_server_pct === null ? NaN : (x.cpu_server_pct / 100) * (1e6 / x.rps),
    }));
  };
  const base = rounds('baseline-check');
  const floor = rounds('nest-floor-check');
  const check = rounds('check-hit');
  const bare = rounds('check-hit-no-metrics');
  if (!base || !floor || !check) return null;
  /** @param {Array<{ cpu_us: number }>} list */
  const us = (list) => median(list.map((x) => x.cpu_us));
  const [b, f, c] = [us(base), us(floor), us(check)];
  if (b === null || f === null || c === null) return null;
  const nm = bare ? us(bare) : null;
  const n = Math.min(base.length, floor.length, check.length, bare ? bare.length : Infinity);
  const paired = Array.from({ length: n }, (_, i) => ({
    floor_vs_baseline: floor[i].rps / base[i].rps,
    check_vs_floor: check[i].rps / floor[i].rps,
    check_vs_baseline: check[i].rps / base[i].rps,
    ...(bare ? { check_vs_no_metrics: check[i].rps / bare[i].rps } : {}),
  }));
  return {
    baseline_cpu_us: b,
    nest_floor_cpu_us: f,
    check_hit_cpu_us: c,
    check_hit_no_metrics_cpu_us: nm,
    metrics_cpu_us: nm === null ? null : c - nm,
    framework_us: f - b,
    edgeflags_us: c - f,
    framework_share_of_gap: c - b > 0 ? (f - b) / (c - b) : null,
    rounds: paired,
  };
}

/**
 * What the per-request metrics hook costs: check-hit against check-hit-no-metrics.
 * @param {Results} r
 * @returns {MetricsCost | null}
 */
export function metricsCost(r) {
  const c = r.scenarios['check-hit'];
  const n = r.scenarios['check-hit-no-metrics'];
  const k = r.cost_per_check;
  if (!c || !n) return null;
  const perRound = (k?.rounds ?? []).flatMap((x) =>
    x.check_vs_no_metrics !== undefined && Number.isFinite(x.check_vs_no_metrics)
      ? [x.check_vs_no_metrics]
      : [],
  );
  const sorted = [...perRound].sort((a, b) => a - b);
  return {
    // Each one's round of median throughput, as in the table.
    rps_ratio: c.rps / n.rps,
    throughput_cost: 1 - c.rps / n.rps,
    // Round by round (adjacent runs) and their median.
    rps_ratio_rounds: perRound,
    rps_ratio_median_of_rounds: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
    cpu_us_with: k?.check_hit_cpu_us ?? null,
    cpu_us_without: k?.check_hit_no_metrics_cpu_us ?? null,
    cpu_us_cost: k?.metrics_cpu_us ?? null,
  };
}

/**
 * What each row of the main table measured.
 * @param {Results['settings']} s
 * @returns {Record<string, string>}
 */
const descriptions = (s) => ({
  'baseline-check': 'bare node:http, same rollout rule, saturated',
  'nest-floor-check': 'minimal NestJS + Fastify app, one interceptor answering via of(), saturated',
  'check-hit': `GET /flags/:f/check, ${s.users.toLocaleString('en')} users x 4 flags, saturated`,
  'check-hit-no-metrics':
    'check-hit against a second instance started with METRICS_HTTP=false (no per-request metrics hook)',
  memory: 'check, one new user per request, saturated',
  'check-fixed-rate': `check at ${s.fixed_rate.toLocaleString('en')} req/s overall`,
  details: 'GET /flags/:f?user_id, saturated',
  list: 'GET /flags, saturated',
  mixed: 'checks + details over 5 flags, 1 update/s, saturated',
});

/** @param {Results} r */
export function renderTables(r) {
  return {
    main: mainTable(r),
    reference: referenceTable(r),
    serverTime: serverTimeTable(r),
    updates: updatesTable(r),
    staleness: stalenessTable(r),
    burst: burstTable(r),
    targets: targetsTable(r),
  };
}

/**
 * The tables, notes and warnings at the end of a run.
 * @param {Results} r
 * @param {Tables} t
 */
export function printReport(r, t) {
  const tables = [t.main, t.reference, t.serverTime, t.updates, t.staleness, t.burst];
  if (t.targets) tables.push(t.targets);
  console.log(`\n${tables.join('\n\n')}\n`);
  for (const n of r.notes) console.log(`note: ${n}`);
  for (const w of r.warnings) console.log(`WARNING: ${w}`);
}

/** @param {Results} r */
function mainTable(r) {
  const rows = [
    '| scenario | what | req/s | p50 ms | p99 ms | p99.9 ms | errors | cache hit rate | req/s vs baseline | p99 vs baseline | req/s vs nest-floor | CPU % server / load gen / other |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const what = descriptions(r.settings);
  const order = [
    'baseline-check',
    'nest-floor-check',
    'check-hit',
    'check-hit-no-metrics',
    'check-fixed-rate',
    'details',
    'list',
    'mixed',
    'memory',
  ];
  for (const name of order) {
    const s = r.scenarios[name];
    if (!s) continue;
    const ratio = r.ratios?.[name];
    const hit = s.hit_rate ? `${pct(s.hit_rate.rate)} (${(s.layers ?? []).join('+')})` : 'n/a';
    const vsFloor =
      name === 'nest-floor-check'
        ? '1.00x'
        : ratio?.throughput_vs_nest_floor !== undefined
          ? `${fmt(ratio.throughput_vs_nest_floor, 2)}x`
          : '-';
    rows.push(
      `| ${name} | ${what[name]} | ${fmt(s.rps, 0)} | ${fmt(s.latency_ms.p50, 3)} | ${fmt(s.latency_ms.p99, 3)} | ${fmt(s.latency_ms.p999, 3)} | ` +
        `${pct(s.error_rate)} | ${hit} | ${ratio ? fmt(ratio.throughput_vs_baseline, 2) + 'x' : '1.00x'} | ${ratio ? fmt(ratio.p99_vs_baseline, 1) + 'x' : '1.0x'} | ${vsFloor} | ${s.cpu_pct.server} / ${s.cpu_pct.loadgen} / ${s.cpu_pct.other} |`,
    );
  }
  return rows.join('\n');
}

/** @param {Results} r */
function updatesTable(r) {
  const u = [
    '| update latency (sequential POSTs to one flag) | n | p50 ms | p95 ms | p99 ms | max ms | failed | Redis DBSIZE |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
  ];
  const ul = r.update_latency;
  if (!ul) return [...u, '| not run | - | - | - | - | - | - | - |'].join('\n');
  u.push(
    `| plain | ${ul.plain.count} | ${fmt(ul.plain.p50)} | ${fmt(ul.plain.p95)} | ${fmt(ul.plain.p99)} | ${fmt(ul.plain.max)} | ${ul.plain.errors} | - |`,
  );
  if (ul.with_cached_answers) {
    const w = ul.with_cached_answers;
    u.push(
      `| after seeding ${w.seeded_answers.toLocaleString('en')} cached answers of that flag | ${w.count} | ${fmt(w.p50)} | ${fmt(w.p95)} | ${fmt(w.p99)} | ${fmt(w.max)} | ${w.errors} | ` +
        `${w.dbsize.before_seed.toLocaleString('en')} before seeding, ${w.dbsize.after_seed.toLocaleString('en')} after, ${w.dbsize.after_updates.toLocaleString('en')} after the updates |`,
    );
  } else {
    u.push('| with cached answers | - | - | - | - | - | - | skipped: needs a real Redis |');
  }
  return u.join('\n');
}

/**
 * The interleaved rounds: throughput, latency and server CPU per check, and the metrics cost.
 * @param {Results} r
 */
function referenceTable(r) {
  const c = r.cost_per_check ?? null;
  /** @type {Record<string, number | null | undefined>} */
  const cpu = {
    'baseline-check': c?.baseline_cpu_us,
    'nest-floor-check': c?.nest_floor_cpu_us,
    'check-hit': c?.check_hit_cpu_us,
    'check-hit-no-metrics': c?.check_hit_no_metrics_cpu_us,
  };
  const rows = [
    '| interleaved rounds | req/s (median round) | p50 ms | p99 ms | server CPU µs per check (median of rounds) | req/s round by round |',
    '|---|--:|--:|--:|--:|---|',
  ];
  for (const name of Object.keys(cpu)) {
    const s = r.scenarios[name];
    if (!s) continue;
    rows.push(
      `| ${name} | ${fmt(s.rps, 0)} | ${fmt(s.latency_ms.p50, 3)} | ${fmt(s.latency_ms.p99, 3)} | ${fmt(cpu[name], 1)} | ${(s.rounds ?? []).map((x) => fmt(x.rps, 0)).join(', ')} |`,
    );
  }
  const m = r.metrics_cost;
  if (m) {
    rows.push(
      `| **check-hit / check-hit-no-metrics** (request metrics cost) | **${fmt(m.rps_ratio, 3)}x** (${fmt(m.throughput_cost * 100, 1)}% of throughput) | - | - | **${m.cpu_us_cost === null ? '-' : `${m.cpu_us_cost >= 0 ? '+' : ''}${fmt(m.cpu_us_cost, 1)}`} µs** | ${m.rps_ratio_rounds.map((x) => `${fmt(x, 3)}x`).join(', ')} |`,
    );
  }
  return rows.join('\n');
}

/**
 * Server time from the service's own histogram, for check-hit and check-fixed-rate.
 * @param {Results} r
 */
function serverTimeTable(r) {
  const rows = [
    `| server time (from the service's own histogram: \`${CHECK_ROUTE}\`, GET, 200) | requests | within 0.1 ms | within 1 ms | p50 ms | p99 ms | p99.9 ms | mean ms | client p50 ms | client p99 ms |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  /**
   * @param {string} label
   * @param {ServerTime | undefined} st
   * @param {LatencySummary | null | undefined} client
   */
  const row = (label, st, client) => {
    if (!st) return;
    /** @param {number | null | undefined} x */
    const q = (x) => (st.requests ? fmtMs(x) : '-');
    rows.push(
      `| ${label} | ${st.requests.toLocaleString('en')} | ${pct(st.within_0_1ms)} | ${pct(st.within_1ms)} | ${q(st.p50_ms)} | ${q(st.p99_ms)} | ${q(st.p999_ms)} | ${fmt(st.mean_ms, 3)} | ${client ? fmt(client.p50, 3) : '-'} | ${client ? fmt(client.p99, 3) : '-'} |`,
    );
  };
  const c = r.scenarios['check-hit'];
  row(
    `check-hit, saturated (round ${c?.reported_round ?? '-'}, the one in the table above)`,
    c?.server_time,
    c?.latency_ms,
  );
  const all = r.check_hit_server_time_all_rounds;
  if (all) row(`check-hit, saturated, all ${all.rounds} rounds together`, all, null);
  const f = r.scenarios['check-fixed-rate'];
  row(
    `check-fixed-rate, ${r.settings.fixed_rate.toLocaleString('en')} req/s`,
    f?.server_time,
    f?.latency_ms,
  );
  if (rows.length === 2)
    rows.push('| not measured in this run | - | - | - | - | - | - | - | - | - |');
  return rows.join('\n');
}

/** @param {Results} r */
function stalenessTable(r) {
  const st = r.staleness;
  const head = [
    '| staleness: update on instance A, then instance B polled until it answers the new value | n | p50 ms | p95 ms | p99 ms | max ms | polls p50 / max | first new answer | edge hit right after | timeouts |',
    '|---|--:|--:|--:|--:|--:|--:|---|--:|--:|',
  ];
  if (!st || 'skipped' in st)
    return [
      ...head,
      `| ${st?.skipped ? `skipped: ${st.skipped}` : 'not run'} | - | - | - | - | - | - | - | - | - |`,
    ].join('\n');
  const d = st.delay_ms;
  const first = Object.entries(st.first_new_answer_cache)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return [
    ...head,
    `| from the update's response to B's first new answer | ${d.count} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${st.polls.p50} / ${st.polls.max} | ${first} | ${st.edge_hit_after.hits}/${st.edge_hit_after.checked} | ${st.timeouts} |`,
  ].join('\n');
}

/** @param {Results} r */
function burstTable(r) {
  const mb = r.miss_burst;
  const rows = [
    `| miss-burst: ${mb ? mb.burst : r.settings.burst} concurrent checks, distinct users, of a flag no cache layer holds | database reads | check-layer misses | waited for the one load | p50 ms | p99 ms | max ms | errors | wrong answers |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  if (!mb) return [...rows, '| not run | - | - | - | - | - | - | - | - |'].join('\n');
  for (const b of mb.runs) {
    rows.push(
      `| \`${b.flag}\` (revision ${b.revision}${b.created ? ', just created' : ', just updated'}) | ${b.db_reads} | ${b.check_layer.misses} | ${b.joined_load} | ${fmt(b.latency_ms.p50)} | ${fmt(b.latency_ms.p99)} | ${fmt(b.latency_ms.max)} | ${b.errors + b.non2xx} | ${b.wrong} |`,
    );
  }
  return rows.join('\n');
}

/**
 * Scenarios checked against a target (BENCH_ENFORCE=1 makes a miss fail the run); empty when
 * the run had none.
 * @param {Results} r
 */
function targetsTable(r) {
  const entries = Object.entries(r.targets ?? {});
  if (!entries.length) return '';
  const rows = [
    '| target | what | measured | round by round | target | verdict |',
    '|---|---|--:|---|--:|---|',
  ];
  for (const [name, t] of entries) {
    if (t.skipped !== undefined) {
      rows.push(`| ${name} | ${t.what} | - | - | - | skipped: ${t.skipped} |`);
      continue;
    }
    /** @param {number | null | undefined} x */
    const show = (x) => (t.unit === 'ratio' ? `${fmt(x, 3)}x` : `${fmt(x, 0)}/s`);
    rows.push(
      `| ${name} | ${t.what} | ${show(t.value)} | ${(t.rounds ?? []).map(show).join(', ') || '-'} | ≥ ${t.unit === 'ratio' ? `${fmt(t.target, 2)}x` : `${fmt(t.target, 0)}/s`} | ${t.pass ? 'PASS' : '**FAIL**'} |`,
    );
  }
  return [rows.join('\n'), ...crossChecks(entries, r.settings.connections)].join('\n\n');
}

/**
 * What a target's cross-check with wrk measured (detail.wrk), a line each.
 * @param {Array<[string, import('./types').TargetResult]>} entries
 * @param {number} connections the run's, which wrk used too
 */
function crossChecks(entries, connections) {
  const lines = [];
  for (const [name, t] of entries) {
    const wrk = /** @type {unknown} */ (t.detail?.wrk);
    if (wrk === undefined) continue;
    if (typeof wrk === 'string') {
      lines.push(`${name}, cross-checked with \`wrk\`: ${wrk}.`);
      continue;
    }
    const w =
      /** @type {{ bulk_rps: number, plain_check_rps: number, per_plain_check: number, rounds: unknown[] }} */ (
        wrk
      );
    lines.push(
      `${name}, cross-checked with \`wrk\` (\`-t1 -c${connections}\`, on the load generator's core, interleaved with the plain check, medians of ${w.rounds.length} rounds): ${fmt(w.bulk_rps, 0)}/s, ${fmt(w.per_plain_check, 2)}x a plain check at ${fmt(w.plain_check_rps, 0)}/s.`,
    );
  }
  return lines;
}
