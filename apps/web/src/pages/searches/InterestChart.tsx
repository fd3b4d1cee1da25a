import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrendResults } from '../../lib/api/trends.js';

/** Colours with enough contrast on white, one per keyword (Google compares at most five). */
export const seriesColours = ['#1f4fd1', '#c2410c', '#047857', '#7c3aed', '#b91c1c'];

/** Interest over time as a line chart; the same numbers are in the table below it for those who cannot see it. */
export function InterestChart({ data }: { data: TrendResults['interestOverTime'] }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element || data.points.length === 0) return;
    const xs = data.points.map((point) => Date.parse(point.time) / 1000);
    const ys = data.keywords.map((_, k) => data.points.map((point) => (point.hasData[k] === false ? null : (point.values[k] ?? null))));
    const width = () => Math.max(280, element.clientWidth);
    const chart = new uPlot(
      {
        width: width(),
        height: 280,
        scales: { y: { range: [0, 100] } },
        axes: [{}, { label: 'Interest (0–100)', size: 56 }],
        series: [
          {},
          ...data.keywords.map((keyword, k) => ({ label: keyword, stroke: seriesColours[k % seriesColours.length], width: 2, spanGaps: false })),
        ],
        legend: { live: true },
      },
      [xs, ...ys],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height: 280 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [data]);

  const first = data.points[0]?.formattedTime;
  const last = data.points.at(-1)?.formattedTime;
  return (
    <figure className="chart">
      <div ref={container} role="img" aria-label={`Line chart of interest over time for ${data.keywords.join(', ')}, from ${first} to ${last}.`} />
      <figcaption>Interest over time, relative to the highest point (100).</figcaption>
    </figure>
  );
}
