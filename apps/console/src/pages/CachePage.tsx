import { useEffect, useSyncExternalStore } from 'react';
import { useCacheStats, useHealth } from '../api/queries';
import type { CacheStats } from '../api/types';
import { Chart, type Point } from '../components/Chart';
import { kib, percent } from '../format';

// Samples of /cache/stats kept for the chart while the console is open (the counters are
// cumulative since the instance started; the chart shows their change per poll).
const WINDOW_MS = 5 * 60_000;
let samples: Array<{ at: number; hits: number; misses: number }> = [];
const listeners = new Set<() => void>();
function record(stats: CacheStats, at: number) {
  samples = [
    ...samples.filter((s) => s.at > at - WINDOW_MS),
    { at, hits: stats.hits, misses: stats.misses },
  ];
  listeners.forEach((l) => l());
}
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function points(list: typeof samples): Point[] {
  return list.slice(1).map((s, i) => {
    const prev = list[i];
    const hits = Math.max(0, s.hits - prev.hits);
    const misses = Math.max(0, s.misses - prev.misses);
    return {
      at: s.at,
      requests: hits + misses,
      hitRate: hits + misses === 0 ? null : hits / (hits + misses),
    };
  });
}

export function CachePage() {
  const stats = useCacheStats();
  const health = useHealth();
  const history = useSyncExternalStore(subscribe, () => samples);

  useEffect(() => {
    if (stats.data) record(stats.data, stats.dataUpdatedAt);
  }, [stats.data, stats.dataUpdatedAt]);

  const s = stats.data;
  const chart = points(history);
  return (
    <>
      <div className="page-head">
        <h1>Cache &amp; health</h1>
      </div>
      <section aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        {health.isError && (
          <p className="error" role="alert">
            The service does not answer: {health.error.message}
          </p>
        )}
        {health.data && (
          <ul className="cards">
            <li className="card">
              <span className="card-label">Service</span>
              <span className={`status status-${health.data.status}`}>{health.data.status}</span>
            </li>
            <li className="card">
              <span className="card-label">Database ({health.data.database.backend})</span>
              <span
                className={`status status-${health.data.database.status}`}
                data-testid="db-status"
              >
                {health.data.database.status}
              </span>
            </li>
            <li className="card">
              <span className="card-label">Shared cache ({health.data.cache.backend})</span>
              <span
                className={`status status-${health.data.cache.status}`}
                data-testid="cache-status"
              >
                {health.data.cache.status}
              </span>
            </li>
          </ul>
        )}
      </section>
      <section aria-labelledby="cache-title">
        <h2 id="cache-title">Cache of this instance</h2>
        {stats.isError && (
          <p className="error" role="alert">
            Could not load the cache statistics: {stats.error.message}
          </p>
        )}
        {s && (
          <>
            <ul className="cards">
              <li className="card">
                <span className="card-label">Hit rate</span>
                <span className="big" data-testid="hit-rate">
                  {percent(s.hit_rate)}
                </span>
                <span className="hint">
                  {s.hits} hits, {s.misses} misses
                </span>
              </li>
              <li className="card">
                <span className="card-label">Edge cache</span>
                <span className="big" data-testid="edge-size">
                  {s.edge.flags} / {s.edge.max_flags}
                </span>
                <span className="hint">flags in memory; {s.edge.hits} hits</span>
              </li>
              <li className="card">
                <span className="card-label">OpenFeature bulk memo</span>
                <span className="big" data-testid="memo-hit-rate">
                  {percent(s.ofrep_bulk_memo.hit_rate)}
                </span>
                <span className="hint" data-testid="memo-size">
                  {s.ofrep_bulk_memo.entries} context{s.ofrep_bulk_memo.entries === 1 ? '' : 's'},{' '}
                  {kib(s.ofrep_bulk_memo.bytes)} of {kib(s.ofrep_bulk_memo.max_bytes)}
                </span>
              </li>
              <li className="card">
                <span className="card-label">Invalidations</span>
                <span className="big">{s.invalidations.sent + s.invalidations.received}</span>
                <span className="hint">
                  {s.invalidations.sent} sent, {s.invalidations.received} received
                </span>
              </li>
              <li className="card">
                <span className="card-label">Database reads</span>
                <span className="big" data-testid="db-reads">
                  {s.db_reads}
                </span>
                <span className="hint">{s.stale} stale answers</span>
              </li>
              <li className="card">
                <span className="card-label">Redis</span>
                <span className="big">{s.redis.state}</span>
                <span className="hint">
                  {s.keys ?? '?'} keys, {s.redis.errors} errors
                </span>
              </li>
            </ul>
            <table className="layers">
              <caption>
                Layers (since the instance started {Math.round(s.uptime_s / 60)} min ago)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  <th scope="col">Hits</th>
                  <th scope="col">Misses</th>
                  <th scope="col">Hit rate</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.layers).map(([layer, l]) => (
                  <tr key={layer}>
                    <th scope="row">{layer}</th>
                    <td>{l.hits}</td>
                    <td>{l.misses}</td>
                    <td>{percent(l.hit_rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Last minutes</h3>
            {chart.length === 0 ? (
              <p className="hint">The chart fills in as samples arrive every 5 s.</p>
            ) : (
              <Chart
                points={chart}
                label={`Requests and hit rate over the last ${chart.length} samples; latest ${chart[chart.length - 1].requests} requests`}
              />
            )}
          </>
        )}
      </section>
    </>
  );
}
