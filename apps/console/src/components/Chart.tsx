export interface Point {
  at: number;
  requests: number;
  hitRate: number | null;
}

/**
 * Requests per interval (bars) and hit rate (line, 0–100 %) of the last samples. A dozen lines
 * of SVG: a charting library would cost more JavaScript than the whole console.
 */
export function Chart({ points, label }: { points: Point[]; label: string }) {
  const width = 600;
  const height = 160;
  const max = Math.max(1, ...points.map((p) => p.requests));
  const step = points.length > 0 ? width / points.length : width;
  const line = points
    .map((p, i) =>
      p.hitRate === null ? null : `${(i + 0.5) * step},${height - p.hitRate * (height - 8) - 4}`,
    )
    .filter((p): p is string => p !== null)
    .join(' ');
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="axis" />
        {points.map((p, i) => {
          const h = (p.requests / max) * (height - 8);
          return (
            <rect
              key={p.at}
              x={i * step + 1}
              y={height - h}
              width={Math.max(1, step - 2)}
              height={h}
              className="bar"
            />
          );
        })}
        {line && <polyline points={line} className="line" fill="none" />}
      </svg>
      <figcaption>
        <span className="key bar-key" aria-hidden="true" /> requests per 5 s (max {max}){' '}
        <span className="key line-key" aria-hidden="true" /> hit rate (0–100%)
      </figcaption>
    </figure>
  );
}
