/**
 * A tiny line of a few numbers (a stage's contacts over six months): the
 * shape, not the values, which the title and the text beside it give. A
 * null is a month without data: the line breaks there.
 */
export function Sparkline({ values, width = 48, height = 14, label }: { values: readonly (number | null)[]; width?: number; height?: number; label: string }) {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  const max = Math.max(...known);
  const min = Math.min(...known);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2) / (values.length - 1) : 0;
  const point = (v: number, i: number): [number, number] => [1 + i * step, height - 1 - ((v - min) / span) * (height - 2)];
  // Runs of consecutive months with data, each its own line; a lone month is a dot.
  const runs: { first: number; points: [number, number][] }[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const last = runs.at(-1);
    if (last && i > 0 && values[i - 1] !== null) last.points.push(point(v, i));
    else runs.push({ first: i, points: [point(v, i)] });
  });
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="shrink-0 overflow-visible">
      <title>{label}</title>
      {runs.map((run) =>
        run.points.length === 1 ? (
          <circle key={run.first} cx={run.points[0]?.[0]} cy={run.points[0]?.[1]} r={1.5} className="fill-indigo-600" />
        ) : (
          <polyline key={run.first} points={run.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')} fill="none" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" className="stroke-indigo-600" />
        ),
      )}
    </svg>
  );
}
