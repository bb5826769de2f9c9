// @ts-check
// docs/benchmarks.md, written from a run's results: the tables of lib/report.mjs with the
// sentences that read them, and the last bench/restart.mjs result when there is one.
import fs from 'node:fs';
import path from 'node:path';
import { fmt, fmtMs, pct } from './format.mjs';
import { parseJson } from './untyped.mjs';
import { DOCS, RESTART_RESULTS, RESULTS, ROOT, fail } from './settings.mjs';
import { renderTables } from './report.mjs';

/**
 * @typedef {import('./types').Results} Results
 * @typedef {import('./report.mjs').Tables} Tables
 * @typedef {import('./types').MeasuredResult} MeasuredResult
 * @typedef {import('./types').MemoryResult} MemoryResult
 * @typedef {import('./types').MixedResult} MixedResult
 * @typedef {import('./types').Staleness} Staleness
 */

/**
 * The result bench/restart.mjs writes (the parts this page shows).
 * @typedef {object} RestartResult
 * @property {string} date
 * @property {string} command_line
 * @property {{ retry_on: string[], retries: number, connections: number }} settings
 * @property {Record<'A' | 'B', { sigterm_at_s: number, exit_code?: number | string | null, drain_ms?: number, restart_ready_ms?: number, served_before: number, served_after: number }>} instances
 * @property {{ duration_s: number, requests: number, rps: number, non2xx: number, errors: number, latency_ms: { p50: number | null, p99: number | null, max: number | null } }} load
 * @property {{ retries: { conn_failure: number, empty_response: number, status_503: number }, gave_up: number, broken_responses: number, upstream_503: number }} balancer
 * @property {boolean} ok
 * @property {string[]} problems
 */

/**
 * Writes docs/benchmarks.md.
 * @param {Results} results
 * @param {Tables} tables
 */
export async function writeDocs(results, tables) {
  fs.mkdirSync(path.dirname(DOCS), { recursive: true });
  fs.writeFileSync(DOCS, await formatMarkdown(renderDocs(results, tables)));
  console.log(`bench: wrote ${path.relative(ROOT, DOCS)}`);
}

/** docs/benchmarks.md from the last results, without measuring again (--docs-only). */
export async function docsOnly() {
  if (!fs.existsSync(RESULTS))
    fail(`${path.relative(ROOT, RESULTS)} is missing: run the benchmark first`);
  const results = /** @type {Results} */ (parseJson(fs.readFileSync(RESULTS, 'utf8')));
  fs.mkdirSync(path.dirname(DOCS), { recursive: true });
  fs.writeFileSync(DOCS, await formatMarkdown(renderDocs(results, renderTables(results))));
  console.log(`bench: wrote ${path.relative(ROOT, DOCS)} from ${path.relative(ROOT, RESULTS)}`);
}

/**
 * The page as the repository's prettier config would write it, so `prettier --check` passes.
 * @param {string} text
 */
async function formatMarkdown(text) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DOCS)) ?? {};
    return await prettier.format(text, { ...options, filepath: DOCS });
  } catch {
    return text;
  }
}

/** @param {Results} r */
function updateLine(r) {
  if (!r.update_latency) return '- (No `update-latency` in this run.)';
  const p = r.update_latency.plain;
  const w = r.update_latency.with_cached_answers;
  if (!w) {
    return `- ${p.count} sequential updates of one flag: p50 ${fmt(p.p50)} ms, p95 ${fmt(p.p95)} ms, p99 ${fmt(p.p99)} ms. The run with many cached answers of the flag needs a real Redis and was skipped.`;
  }
  const n = w.seeded_answers.toLocaleString('en');
  const ratio = Number(w.p50) / Number(p.p50);
  const verdict =
    ratio <= 1.5
      ? `was about the same (within this machine's run-to-run noise) with ${n} cached answers of the flag in Redis as without`
      : `was ${fmt(ratio, 1)}x higher at the median with ${n} cached answers of the flag in Redis (noise, or a real dependency: rerun before concluding)`;
  const kept =
    w.dbsize.after_updates >= w.dbsize.after_seed
      ? `DBSIZE was ${w.dbsize.after_updates.toLocaleString('en')} after the updates, as after seeding: the updates neither scanned nor deleted those keys; they became unreachable (keys embed the flag's revision) and would expire by their TTL. The benchmark deletes them afterwards.`
      : `DBSIZE went from ${w.dbsize.after_seed.toLocaleString('en')} after seeding to ${w.dbsize.after_updates.toLocaleString('en')} after the updates.`;
  return `- Update latency ${verdict}: p50 ${fmt(p.p50)} ms without and ${fmt(w.p50)} ms with, p99 ${fmt(p.p99)} ms and ${fmt(w.p99)} ms (${p.count} sequential POSTs each). ${kept}`;
}

/** @param {Results} r */
function floorLine(r) {
  const ratios = r.ratios ?? {};
  const floor = r.scenarios['nest-floor-check'];
  if (!floor) return '- (No `nest-floor-check` in this run.)';
  const check = r.scenarios['check-hit'];
  const base = r.scenarios['baseline-check'];
  const c = r.cost_per_check;
  /** @param {(x: NonNullable<typeof c>['rounds'][number]) => number} f */
  const list = (f) => (c?.rounds ?? []).map((x) => `${fmt(f(x) * 100, 0)}%`).join(', ');
  const cost = c
    ? ` In server CPU time per check (CPU % over a run divided by its req/s; medians of the rounds): ${fmt(c.baseline_cpu_us, 1)} µs bare, ${fmt(c.nest_floor_cpu_us, 1)} µs for the Nest floor, ${fmt(c.check_hit_cpu_us, 1)} µs for the service. Of the ${fmt(c.check_hit_cpu_us - c.baseline_cpu_us, 1)} µs the service spends beyond bare \`node:http\`, ${fmt(c.framework_us, 1)} µs (${c.framework_share_of_gap === null ? '-' : fmt(c.framework_share_of_gap * 100, 0) + '%'}) is what NestJS + Fastify cost for the cheapest interceptor answer, and ${fmt(c.edgeflags_us, 1)} µs is edgeflags' own work on top of it (the request-id and security-header hook and the extra response headers, the per-route metrics hook, reading the flag request, the edge-cache lookup and the hit counters; no guard or pipe runs on a hit in this configuration).` +
      ` Round by round (adjacent runs): nest-floor served ${list((x) => x.floor_vs_baseline)} of bare \`node:http\`, check-hit ${list((x) => x.check_vs_floor)} of nest-floor.`
    : '';
  return (
    `- The minimal NestJS + Fastify app (\`bench/nest-floor-server.mjs\`: one interceptor answering from a map via \`of(...)\`, no hooks, no global pipes or guards) served ${fmt(floor.rps, 0)} req/s, ${fmt(ratios['nest-floor-check'].throughput_vs_baseline * 100, 0)}% of bare \`node:http\` (${fmt(base.rps, 0)}). ` +
    `The service's check-hit served ${fmt(Number(ratios['check-hit'].throughput_vs_nest_floor) * 100, 0)}% of that floor (${fmt(check.rps, 0)} req/s).${cost} ` +
    `They ran interleaved (${floor.rounds ? `${floor.rounds.length} rounds of bare, Nest floor, service, service without request metrics; the table shows each one's round of median throughput` : 'one round'}), so slow drifts of the machine affect them alike, but not the noise within a run. Both floors evaluate the rollout with \`bench/rollout.mjs\`, the service with its own implementation.`
  );
}

/** @param {Results} r */
function metricsLine(r) {
  const m = r.metrics_cost;
  if (!m) return '- (No `check-hit-no-metrics` in this run.)';
  const n = r.scenarios['check-hit-no-metrics'];
  const c = r.scenarios['check-hit'];
  /** @param {number} x */
  const cost = (x) => `${fmt(x * 100, 1)}%`;
  return (
    `- Request metrics cost ${cost(m.throughput_cost)} of throughput / ${m.cpu_us_cost === null ? '-' : fmt(m.cpu_us_cost, 1)} µs of CPU per check in this run: check-hit served ${fmt(c.rps, 0)} req/s with the per-request metrics hook (\`METRICS_HTTP=true\`, the default) and ${fmt(n.rps, 0)} req/s on a second instance without it (\`METRICS_HTTP=false\`), ${fmt(m.rps_ratio, 3)}x, at ${m.cpu_us_with === null ? '-' : fmt(m.cpu_us_with, 1)} and ${m.cpu_us_without === null ? '-' : fmt(m.cpu_us_without, 1)} µs of server CPU per check. ` +
    `Round by round (adjacent runs) the ratio was ${m.rps_ratio_rounds.map((x) => `${fmt(x, 3)}x`).join(', ')}` +
    (m.rps_ratio_rounds.length > 1 && m.rps_ratio_rounds.every((x) => x < 1)
      ? ': below 1 in every round, though its size moves with the run-to-run noise of this machine (several percent).'
      : ': not below 1 in every round, so on this machine the cost is within the run-to-run noise (several percent) rather than measured.')
  );
}

/** @param {Results} r */
function fixedServerLine(r) {
  const f = r.scenarios['check-fixed-rate'];
  const st = f?.server_time;
  if (!st || !st.requests)
    return "- (No server time for `check-fixed-rate` in this run: the service's histogram was not scraped.)";
  const rate = r.settings.fixed_rate.toLocaleString('en');
  const meets = st.within_1ms !== null && st.within_1ms >= 0.99;
  const all = r.check_hit_server_time_all_rounds;
  const sat = r.scenarios['check-hit']?.server_time;
  return (
    `- Server time: at ${rate} req/s, p99 server time was ${fmt(st.p99_ms, 3)} ms (${pct(st.within_1ms)} within 1 ms${st.p99_ms !== null && st.p99_ms <= 0.1 ? `; that is an interpolation inside the histogram's finest bucket, 0 to 0.1 ms, which held ${pct(st.within_0_1ms)} of the checks` : ''}; p50 ${fmtMs(st.p50_ms)} ms, mean ${fmt(st.mean_ms, 3)} ms (exact, from the histogram's sum), over ${st.requests.toLocaleString('en')} checks); the client-side p99 (${fmt(f.latency_ms.p99, 3)} ms) adds the load generator's and the kernel's queueing. ` +
    `The issue's target, "check endpoint at a fixed 5,000 requests/s: p99 under 1 ms", is ${meets ? '**met** on server time' : '**not met** on server time'} (${meets ? 'at least' : 'fewer than'} 99% of the checks were answered within 1 ms, a bucket bound, so this does not depend on the interpolation)` +
    `${Number(f.latency_ms.p99) < 1 ? '; client-side p99 was also under 1 ms' : `; client-side p99 was ${meets ? 'not' : 'not either'}`}. ` +
    (sat
      ? `Saturated (\`check-hit\`, 50 requests in flight), server time was p50 ${fmtMs(sat.p50_ms)} ms, p99 ${fmtMs(sat.p99_ms)} ms (${pct(sat.within_1ms)} within 1 ms)${all ? `; over all ${all.rounds} rounds p99 ${fmtMs(all.p99_ms)} ms, ${pct(all.within_1ms)} within 1 ms` : ''}: there the client's latency is mostly requests queued in the kernel and in Node before Fastify sees them, which server time does not include.`
      : '')
  );
}

/** @param {Results} r */
function eventsLines(r) {
  const lines = [];
  const l = r.events_latency;
  if (!l || 'skipped' in l)
    lines.push(
      `- Change stream across instances (\`events-latency\`): ${l ? `skipped: ${l.skipped}` : 'not run'} (it runs only with \`BENCH_DATABASE_URL\` and \`BENCH_REDIS_URL\`).`,
    );
  else {
    const worst = Math.max(l.on_a_ms.p99 ?? Infinity, l.on_b_ms.p99 ?? Infinity);
    lines.push(
      `- Change stream across instances (\`events-latency\`): one \`GET /events\` stream open on A and one on B (same PostgreSQL and Redis, both pinned to CPU 0), ${l.updates} updates on A (after ${l.warmup_updates} unmeasured). From A's update response to the event: on A's stream p50 ${fmt(l.on_a_ms.p50)} ms, p99 ${fmt(l.on_a_ms.p99)} ms; on B's p50 ${fmt(l.on_b_ms.p50)} ms, p99 ${fmt(l.on_b_ms.p99)} ms, max ${fmt(l.on_b_ms.max)} ms: ${worst < l.target_p99_ms ? 'within' : '**not** within'} the issue's target of p99 < ${l.target_p99_ms} ms. B hears of it by Redis pub/sub, with no database read.`,
    );
  }
  const f = r.events_fanout;
  if (f)
    lines.push(
      `- ${f.streams.toLocaleString('en')} open change streams (\`events-fanout\`, on one instance): RSS ${fmt(f.rss_before_kb / 1024)} MiB before opening them, ${fmt(f.rss_after_kb / 1024)} MiB after (${fmt(f.per_stream_kb)} KiB a stream: a socket, its HTTP state and a few small objects; the message of a change is framed once for all). One change reached the first stream p50 ${fmt(f.first_stream_ms.p50)} ms and all ${f.streams.toLocaleString('en')} p50 ${fmt(f.all_streams_ms.p50)} ms, max ${fmt(f.all_streams_ms.max)} ms after the update's response (${f.rounds} rounds; the bench process reads all the streams on the other CPU, so this includes its own reading).`,
    );
  return lines;
}

/** @param {Results} r */
function stalenessLine(r) {
  const st = r.staleness;
  if (!st || 'skipped' in st)
    return `- Staleness across instances: ${st ? `skipped: ${st.skipped}` : 'not run'} (it runs only with \`BENCH_DATABASE_URL\` and \`BENCH_REDIS_URL\`).`;
  const d = st.delay_ms;
  const met = d.p99 !== null && d.p99 < st.target_p99_ms;
  return (
    `- Staleness across instances: a second instance (B, same PostgreSQL and Redis, also pinned to CPU 0) was polled in a tight loop (one request at a time, keep-alive) for one user after each of ${st.updates} updates made on the first (A), alternating \`${st.flag}\` between 100% and 0%. ` +
    `B answered the new value p50 ${fmt(d.p50)} ms, p95 ${fmt(d.p95)} ms, p99 ${fmt(d.p99)} ms, max ${fmt(d.max)} ms after A's update response: ${met ? 'within' : '**not** within'} the issue's target of p99 < ${st.target_p99_ms} ms. ` +
    `That delay is Redis pub/sub delivery, then B's cold path for the new revision (two Redis reads, then PostgreSQL: B counted ${st.b_counters.invalidations_received} invalidations received and ${st.b_counters.db_reads} database reads for the ${st.updates + st.warmup_updates} updates, ${st.warmup_updates} of them unmeasured warm-up). ` +
    `Right after each first new answer, B answered the same check from its edge cache (\`_cache: hit\`, its edge-hit counter up by one, no database read) in ${st.edge_hit_after.hits} of ${st.edge_hit_after.checked} rounds. ` +
    'Caveats: A and B share CPU 0, so the poll loop loading B competes with A handling the update; the delay includes the round trip of the poll that saw the new value, and its resolution is one poll round trip.'
  );
}

/** @param {Results} r */
function burstLine(r) {
  const mb = r.miss_burst;
  if (!mb) return '- (No `miss-burst` in this run.)';
  const reads = mb.db_reads.join(', ');
  const ok = mb.db_reads_max <= mb.target_db_reads;
  const p99s = mb.runs.map((b) => fmt(b.latency_ms.p99)).join(', ');
  const { runs, burst } = mb;
  /** @param {(b: typeof runs[number]) => number} f */
  const mostly = (f) => runs.filter((b) => f(b) > burst / 2).length > runs.length / 2;
  const mostlyCold = mostly((b) => b.check_layer.misses);
  const mostlyWaited = mostly((b) => b.joined_load);
  return (
    `- Cold misses: ${mb.burst} concurrent checks (distinct users \`burst-0\`..) of a flag at a revision no cache layer held, right after it was written, caused ${reads} database read(s) in ${mb.bursts} bursts (target: 1${ok ? ', met' : ', **not met**'}): concurrent misses of one flag share one load. ` +
    `Of the ${mb.burst} checks, ${mb.runs.map((b) => b.check_layer.misses).join(', ')} missed the per-user check layer (the flag was not in the edge cache when the interceptor saw them: one shared-cache read each) and ${mb.runs.map((b) => b.joined_load).join(', ')} of those reached the service while the one load was in flight and waited for it instead of reading PostgreSQL themselves; the others found the flag already loaded and were answered from memory. Time from the burst's start to each answer: p50 ${mb.runs.map((b) => fmt(b.latency_ms.p50)).join(', ')} ms, p99 ${p99s} ms, the last after ${mb.runs.map((b) => fmt(b.latency_ms.max)).join(', ')} ms. The service was busy ${mb.runs.map((b) => `${b.cpu_pct?.server ?? '-'}%`).join(', ')} of that time: ${mb.runs.map((b) => fmt(b.server_cpu_ms_per_check, 2)).join(', ')} ms of CPU per check of the burst (${mostlyCold ? 'nearly all of them cold: a shared-cache read, the handler with its validation pipe, a shared-cache write' : 'most of them answered from memory once the flag was loaded'}; 10 ms tick resolution), against ${r.cost_per_check ? fmt(r.cost_per_check.check_hit_cpu_us / 1000, 3) : '-'} ms for a check answered from the edge cache in \`check-hit\`.${mostlyWaited ? ' The answers come close together because the requests waiting for the one load are released together.' : ''} ` +
    `The ${mb.burst} keep-alive connections were opened (with cached checks) before each burst, so the figures exclude TCP connection setup; the client (one thread) had handed the last of them to the kernel ${mb.runs.map((b) => fmt(b.all_sent_after_ms)).join(', ')} ms after the burst started.`
  );
}

/** @returns {RestartResult | null} */
function lastRestart() {
  try {
    return /** @type {RestartResult} */ (parseJson(fs.readFileSync(RESTART_RESULTS, 'utf8')));
  } catch {
    return null;
  }
}

/** @param {RestartResult} x */
function restartLines(x) {
  /** @param {number | null | undefined} v */
  const ms = (v) => (v === null || v === undefined ? '-' : `${Math.round(v)} ms`);
  /** @param {'A' | 'B'} name */
  const inst = (name) => {
    const i = x.instances[name];
    return `| ${name} | ${fmt(i.sigterm_at_s, 1)} s | ${i.exit_code ?? '-'} | ${ms(i.drain_ms)} | ${ms(i.restart_ready_ms)} | ${i.served_before} / ${i.served_after} |`;
  };
  const l = x.load;
  const b = x.balancer;
  return [
    `From \`node bench/restart.mjs\` (${x.date}), run separately from the rest of this page:`,
    '',
    '```sh',
    x.command_line,
    '```',
    '',
    `Two instances of the service (same PostgreSQL and Redis, both pinned to CPU 0) behind a round-robin HTTP balancer written in Node (in the script, sharing CPU 1 with the load generator) that, like HAProxy with \`retry-on ${x.settings.retry_on.join(' ')}\`, \`retries ${x.settings.retries}\` and \`option redispatch\`, retries a request on the other instance when ${x.settings.retry_on.includes('503') ? 'the connection is refused, closed before any response byte, or answered 503' : 'the connection is refused or closed before any response byte'}. ` +
      `autocannon kept ${x.settings.connections} connections busy on the check endpoint for ${fmt(l.duration_s, 1)} s; SIGTERM went to A at about 1/3 of the run and, once A had exited and been started again, to B at about 2/3.`,
    '',
    '| instance | SIGTERM at | exit code | drain (SIGTERM to exit) | restarted, ready after | requests served before / after its restart |',
    '|---|--:|--:|--:|--:|--:|',
    inst('A'),
    inst('B'),
    '',
    `- Requests: ${l.requests.toLocaleString('en')} (${fmt(l.rps, 0)} req/s), non-2xx ${l.non2xx}, errors ${l.errors} (socket errors and timeouts at the client), latency p50 ${fmt(l.latency_ms.p50)} ms, p99 ${fmt(l.latency_ms.p99)} ms, max ${fmt(l.latency_ms.max)} ms.`,
    `- The balancer retried ${b.retries.conn_failure} refused connections, ${b.retries.empty_response} requests whose connection closed before any response byte${x.settings.retry_on.includes('503') ? ` and ${b.retries.status_503} answered 503` : ''}; ${b.gave_up} requests ran out of retries; ${b.broken_responses} responses broke after their first byte. The instances answered ${b.upstream_503} requests 503 (a draining instance answers what reaches it, with \`Connection: close\`, rather than shedding it with a 503)${x.settings.retry_on.includes('503') || b.upstream_503 === 0 ? '' : ' (not retried with this retry-on setting: they reached the client as non-2xx; deploy/haproxy.cfg also retries 503)'}.`,
    `- Throughput here is the Node balancer's (it shares CPU 1 with the load generator), not the service's: compare it with nothing above. "Restarted, ready after" is from starting the new process to its first healthy \`/health\`, booting on CPU 0 next to the other instance under load.`,
    `- Verdict: ${x.ok ? 'no request lost, both instances exited 0' : `**failed**: ${x.problems.join('; ')}`}.`,
  ];
}

/**
 * @param {Results} r
 * @param {(kb: number) => string} mib
 */
function memoryLine(r, mib) {
  const m = /** @type {MemoryResult} */ (r.scenarios.memory);
  const grew = m.rss_kb.after - m.rss_kb.before;
  const perUser = (grew * 1024) / m.distinct_users;
  const sign = grew >= 0 ? '+' : '-';
  const verdict =
    perUser < 20
      ? `about ${Math.max(0, perUser).toFixed(0)} bytes per new user id, far less than keeping anything per user would take`
      : `about ${perUser.toFixed(0)} bytes per new user id: memory grew with the number of users`;
  return (
    `- Memory: over ${m.distinct_users.toLocaleString('en')} checks, each from a user id not seen before (${fmt(m.rps, 0)} req/s, hit rate ${pct(m.hit_rate.rate)}), the service's RSS went from ${mib(m.rss_kb.before)} to ${mib(m.rss_kb.after)} (${sign}${mib(Math.abs(grew))}; highest sample ${mib(m.rss_kb.peak_sampled)}): ${verdict}. ` +
    `Right after start it was ${mib(Number(r.service_rss_kb_after_start))}${r.backends.database === 'pglite' ? ' (the embedded PGlite database lives in this process and accounts for much of it)' : ''}.`
  );
}

/**
 * @param {Results} r
 * @param {Tables} table
 */
function renderDocs(r, table) {
  const m = r.machine;
  const ratios = r.ratios ?? {};
  const mixed = /** @type {MixedResult} */ (r.scenarios.mixed);
  const check = /** @type {MeasuredResult} */ (r.scenarios['check-hit']);
  const fixed = r.scenarios['check-fixed-rate'];
  const base = r.scenarios['baseline-check'];
  /** @param {number} kb */
  const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by `BENCH_WRITE_DOCS=1 node bench/run.mjs`; edit bench/lib/docs.mjs, not this file. -->',
    '',
    'What one run of `bench/run.mjs` measured: the service against two reference servers that answer',
    'the same check with the same rollout rule from an in-memory map: a bare `node:http` server (the',
    'floor no framework can beat) and a minimal NestJS 11 + Fastify app whose check route has one',
    'interceptor answering via `of(...)` (the floor for any NestJS app whose cache layers are',
    'interceptors, as the issue requires). These are means and percentiles from **a single run on a small, shared 2-core',
    'machine**: expect run-to-run differences of 10-20% in throughput, occasionally up to 40% in one',
    "scenario with no other process visibly busy (the machine is a VM; its neighbours' load is not",
    'seen by the CPU accounting below), and much more in the tails.',
    'Read them as orders of magnitude and ratios, not as guarantees.',
    '',
    '## How it was run',
    '',
    '```sh',
    'npm run build',
    r.command_line,
    '```',
    '',
    `- Date: ${r.date}${r.commit ? `, commit ${r.commit}` : ''}`,
    `- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpu_model}, ${m.total_memory_gib} GiB RAM, ${m.kernel}, Node ${m.node}`,
    `- Backends: ${r.backends.summary}`,
    `- Pinning: ${r.pinning}. PostgreSQL and Redis, when used, are separate servers and are not pinned: they share the two CPUs with the service and the load generator.`,
    `- Load: autocannon 9 (programmatic), ${r.settings.connections} connections, ${r.settings.duration_s} s per scenario after a discarded ${r.settings.warmup_s} s warm-up; scenarios run one after the other, so the baseline and the service are never loaded at the same time; \`baseline-check\`, \`nest-floor-check\`, \`check-hit\` and \`check-hit-no-metrics\` (a second instance of the service, started with \`METRICS_HTTP=false\`, same configuration and backends otherwise, also on CPU 0, idle while the others run) run interleaved, ${r.settings.reference_rounds ?? 1} rounds of ${r.settings.duration_s} s each (warm-up before the first only), and the table shows each one's round of median throughput. Requests cycle through ${r.settings.users.toLocaleString('en')} user ids (\`user-0\`..) and the 4 seed flags.`,
    "- Latency: measured per response by the load generator (sub-millisecond resolution), so it includes the load generator's own queueing. Saturated runs keep 50 requests in flight, so their latency is mostly queueing: p50 is roughly 50 / throughput.",
    '- Cache hit rate: from `GET /cache/stats` counters before and after the measured part (the check layer for checks, the endpoint layer for details, the list layer for the list).',
    '',
    '## Results',
    '',
    table.main,
    '',
    table.reference,
    '',
    table.serverTime,
    '',
    "Server time is what the service's own latency histogram (`GET /metrics`, `edgeflags_http_request_duration_seconds`) recorded from Fastify receiving a request to its response being written, from the difference of two scrapes around the measured part; quantiles are interpolated linearly inside the bucket that holds them (bucket bounds 0.1, 0.25, 0.5, 1, 2.5 ms ...; the first bucket runs from 0), so a quantile shown as `≤ 0.1 (x)` is only known to be under 0.1 ms, the histogram's finest bound, and x is the interpolation; the shares within 0.1 ms and 1 ms are exact (bucket bounds). Client p50/p99 are autocannon's, for the same run.",
    '',
    "Ratios are against the saturated `baseline-check` and `nest-floor-check` runs, including for `check-fixed-rate`, which is not saturated. Errors are socket errors, timeouts and non-2xx responses over all responses. CPU is in percent of one CPU over the measured part: the server under test (pinned to CPU 0), the load generator (CPU 1) and every other process (PostgreSQL, Redis when used, and anything else running on the machine); a load generator near 100% means the figure may be the load generator's limit rather than the server's.",
    '',
    table.updates,
    '',
    table.staleness,
    '',
    table.burst,
    '',
    ...(table.targets
      ? [
          table.targets,
          '',
          'Targets: each compared in the same run, interleaved with the plain check where it is a ratio (the median of the rounds). A miss fails the run only with `BENCH_ENFORCE=1`; a scenario whose endpoint the service does not have yet is skipped.',
          '',
        ]
      : []),
    '## What the numbers say',
    '',
    `- The check endpoint, answered from cache, served ${fmt(check.rps, 0)} req/s on one core: ${fmt(ratios['check-hit'].throughput_vs_baseline * 100, 0)}% of what the bare \`node:http\` server did on the same core (${fmt(base.rps, 0)} req/s). Check-layer hit rate over the run: ${pct(check.hit_rate.rate)}; database reads during it: ${check.db_reads}.`,
    floorLine(r),
    metricsLine(r),
    `- At a fixed ${r.settings.fixed_rate.toLocaleString('en')} req/s (${fmt(fixed.rps, 0)} achieved, the service at ${fixed.cpu_pct.server}% of its CPU) a check took p50 ${fmt(fixed.latency_ms.p50, 3)} ms, p99 ${fmt(fixed.latency_ms.p99, 3)} ms, p99.9 ${fmt(fixed.latency_ms.p999, 3)} ms, measured at the client. autocannon's own pacing sends each connection's per-second quota in one burst; the benchmark spreads it evenly instead (one request per connection every 10 ms), and does not correct for coordinated omission.`,
    fixedServerLine(r),
    `- With one update a second to a flag that is being read (\`mixed\`), the check and endpoint layers together hit ${pct(mixed.hit_rate.rate)} (${mixed.hit_rate.misses} misses, ${mixed.db_reads} database reads for ${mixed.updates.count} updates). The updates, made while the service was saturated, took p50 ${fmt(mixed.updates.p50)} ms, max ${fmt(mixed.updates.max)} ms. Right after one more update, ${mixed.after_update_wrong_answers.wrong} of ${mixed.after_update_wrong_answers.checked} checks of that flag returned an answer computed from the old percentage.`,
    updateLine(r),
    memoryLine(r, mib),
    stalenessLine(r),
    ...eventsLines(r),
    burstLine(r),
  ];
  const restart = lastRestart();
  if (restart) lines.push('', '## Restart under load', '', ...restartLines(restart));
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  if (r.warnings?.length)
    lines.push(
      '',
      '## Warnings: figures this run may not represent',
      '',
      ...r.warnings.map((w) => `- ${w}`),
    );
  if (r.problems.length)
    lines.push('', '## Problems seen in this run', '', ...r.problems.map((p) => `- ${p}`));
  lines.push(
    '',
    '## Reproducing',
    '',
    '`npm run bench` runs everything against embedded backends (PGlite in memory, in-process cache). Set `BENCH_DATABASE_URL` and `BENCH_REDIS_URL` to use real servers. Give it a Redis database of its own: the invalidation channel is named after the database, so another edgeflags instance on the same database (a test suite, say) would deliver its invalidations to the benchmarked service; the run warns when that happens. Set `BENCH_WAIT_QUIET_S` to wait that long before each scenario for other processes to go quiet, `BENCH_DURATION_S` to shorten the runs (below 5 s the memory and Redis-seeding scenarios are scaled down), and `BENCH_WRITE_DOCS=1` to regenerate this page (`node bench/run.mjs --docs-only` rewrites it from the last results without measuring again). The `staleness` scenario runs only with both real servers (it needs a second instance sharing them). Raw figures of the last run are in `bench/results/latest.json` (not committed). `node bench/restart.mjs` (same variables; skipped without them) measures rolling restarts under load; it writes `bench/results/restart.json`, which this page includes when present, and with `BENCH_WRITE_DOCS=1` it regenerates this page.',
    '',
  );
  return lines.join('\n');
}
