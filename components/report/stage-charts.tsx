'use client';

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MeasuredSeries } from '../../lib/annotations/stage-series';
import { formatContacts, formatCsat, formatMonth } from './format';
import { seriesStyle } from './series-colors';

// A fixed drawing size scaled by CSS (the SVG keeps its viewBox): the same
// chart then fits the page on screen and on paper, where a measured
// (responsive) chart would keep the screen's width.
const WIDTH = 1000;
const HEIGHT = 280;

type Metric = 'contacts' | 'csat';

const METRICS: Record<Metric, { title: string; caption: string; format: (value: number | null) => string; domain?: [number, number] }> = {
  contacts: {
    title: 'Contacts per stage',
    caption: 'Contacts to the contact center per month, summed over each stage’s touchpoints.',
    format: formatContacts,
  },
  csat: {
    title: 'CSAT per stage',
    caption: 'Share of satisfied answers per month, pooled over each stage’s survey responses (0–100%).',
    format: formatCsat,
    domain: [0, 100],
  },
};

/** The contacts and CSAT of each stage over the months of `series`; gaps where a month has no data. */
export function StageCharts({ series }: { series: MeasuredSeries }) {
  return (
    <div className="space-y-6">
      <StageChart series={series} metric="contacts" />
      <StageChart series={series} metric="csat" />
    </div>
  );
}

function Legend({ series, label }: { series: MeasuredSeries; label: string }) {
  return (
    <ul aria-label={label} className="mb-1 flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700">
      {series.stages.map((stage, index) => {
        const style = seriesStyle(index);
        const empty = stage.contacts.every((value) => value === null) && stage.csat.every((value) => value === null);
        return (
          <li key={stage.stageId} className="flex items-center gap-2">
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" x2="24" y1="5" y2="5" stroke={style.color} strokeWidth="3" strokeDasharray={style.dash} />
            </svg>
            {stage.name}
            {empty ? <span className="text-slate-500">(no figures)</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

function StageChart({ series, metric }: { series: MeasuredSeries; metric: Metric }) {
  const { title, caption, format, domain } = METRICS[metric];
  const data = series.months.map((month, index) => {
    const point: Record<string, string | number | null> = { month: formatMonth(month) };
    series.stages.forEach((stage, s) => (point[`s${s}`] = stage[metric][index] ?? null));
    return point;
  });
  const latest = series.stages.map((stage) => `${stage.name} ${format(stage[metric].at(-1) ?? null)}`).join(', ');
  const id = `chart-${metric}`;
  return (
    <figure aria-labelledby={`${id}-title`} data-testid={id} className="report-chart break-inside-avoid">
      <figcaption className="mb-2">
        <span id={`${id}-title`} className="block text-sm font-semibold text-slate-800">{title}</span>
        <span className="block text-xs text-slate-600">{caption}</span>
      </figcaption>
      {/* Each chart carries its legend: on paper a chart may start a page. */}
      <Legend series={series} label={`${title}: stages`} />
      <LineChart
        width={WIDTH}
        height={HEIGHT}
        data={data}
        margin={{ top: 8, right: 32, bottom: 4, left: 8 }}
        title={`${title}, ${formatMonth(series.months[0] ?? '')} to ${formatMonth(series.months.at(-1) ?? '')}`}
        desc={`Latest month: ${latest}.`}
      >
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="month" padding={{ left: 12, right: 12 }} tick={{ fill: '#475569', fontSize: 12 }} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} interval={0} />
        <YAxis
          domain={domain ?? [0, 'auto']}
          tick={{ fill: '#475569', fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          width={56}
          tickFormatter={(value: number) => (metric === 'csat' ? `${value}%` : formatContacts(value))}
        />
        <Tooltip formatter={(value) => format(typeof value === 'number' ? value : null)} />
        {series.stages.map((stage, index) => {
          const style = seriesStyle(index);
          return (
            <Line
              key={stage.stageId}
              dataKey={`s${index}`}
              name={stage.name}
              stroke={style.color}
              strokeDasharray={style.dash}
              strokeWidth={2.5}
              dot={{ r: 3, fill: style.color, strokeWidth: 0 }}
              isAnimationActive={false}
              type="linear"
            />
          );
        })}
      </LineChart>
      <details className="mt-2 text-sm print:hidden">
        <summary className="cursor-pointer text-indigo-700 hover:underline">{title}: the numbers</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="min-w-full text-xs">
            <caption className="sr-only">{title} by month</caption>
            <thead className="text-left text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1">Month</th>
                {series.stages.map((stage) => (
                  <th key={stage.stageId} scope="col" className="px-2 py-1 text-right">{stage.name}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {series.months.map((month, index) => (
                <tr key={month}>
                  <th scope="row" className="px-2 py-1 text-left font-normal text-slate-700">{formatMonth(month)}</th>
                  {series.stages.map((stage) => (
                    <td key={stage.stageId} className="px-2 py-1 text-right tabular-nums">{format(stage[metric][index] ?? null)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
