import type { EmotionPoint } from '../../lib/annotations/types';

const WIDTH = 1000;
const HEIGHT = 150;
const PAD_X = 60;
const PAD_TOP = 14;
const LABEL_SPACE = 28;

/** The customer's mean emotion per stage, -2 (bottom) to +2 (top); a gap where a stage has none. */
export function EmotionCurve({ points, stageNames }: { points: EmotionPoint[]; stageNames: Record<string, string> }) {
  if (points.length === 0) return null;
  const plotBottom = HEIGHT - LABEL_SPACE;
  const step = points.length > 1 ? (WIDTH - 2 * PAD_X) / (points.length - 1) : 0;
  const y = (emotion: number) => PAD_TOP + ((2 - emotion) / 4) * (plotBottom - PAD_TOP);
  const located = points.map((point, index) => ({ ...point, name: stageNames[point.stageId] ?? point.stageId, x: points.length > 1 ? PAD_X + index * step : WIDTH / 2 }));
  const segments: string[] = [];
  let current = '';
  for (const point of located) {
    if (point.emotion === null) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += `${current ? 'L' : 'M'}${point.x.toFixed(1)},${y(point.emotion).toFixed(1)}`;
  }
  if (current) segments.push(current);
  const described = located.map((p) => `${p.name}: ${p.emotion === null ? 'no data' : p.emotion.toFixed(1)}`).join(', ');
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="w-full" role="img" aria-label={`Emotion curve. ${described}`}>
      <line x1={PAD_X} x2={WIDTH - PAD_X} y1={y(0)} y2={y(0)} className="stroke-slate-300" strokeDasharray="4 4" />
      <text x={8} y={y(2) + 4} className="fill-slate-400 text-[11px]">+2</text>
      <text x={8} y={y(0) + 4} className="fill-slate-400 text-[11px]">0</text>
      <text x={8} y={y(-2) + 4} className="fill-slate-400 text-[11px]">−2</text>
      {segments.map((d) => (
        <path key={d} d={d} className="fill-none stroke-indigo-600" strokeWidth={2.5} strokeLinejoin="round" />
      ))}
      {located.map((p) => (
        <g key={p.stageId}>
          {p.emotion === null ? null : <circle cx={p.x} cy={y(p.emotion)} r={5} className={p.emotion < 0 ? 'fill-rose-600' : 'fill-emerald-600'} />}
          <text x={p.x} y={HEIGHT - 6} textAnchor="middle" className="fill-slate-600 text-[13px]">
            {p.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
