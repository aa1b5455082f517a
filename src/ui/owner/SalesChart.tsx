/**
 * A small bar chart as inline SVG (no library: a few rects), with its numbers in a table a screen
 * reader reads instead (the SVG itself is hidden from it).
 */
import { barChartLayout, type ChartPoint } from './chart-layout.ts';

/** Drawn at about a phone's width; it scales up on a tablet (labels grow with it, never shrink). */
const WIDTH = 360;
const HEIGHT = 150;

export function SalesChart(props: { id: string; title: string; points: readonly ChartPoint[]; valueHeader: string; format: (value: number) => string }) {
  const layout = barChartLayout(props.points, WIDTH, HEIGHT);
  return (
    <figure class="sales-chart" aria-labelledby={`${props.id}-caption`} data-testid={props.id}>
      <figcaption id={`${props.id}-caption`}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
        <line x1={0} x2={WIDTH} y1={layout.baseline} y2={layout.baseline} class="axis" />
        {layout.bars.map((bar) => (
          <g key={bar.point.label}>
            <rect x={bar.x} y={bar.y} width={bar.width} height={Math.max(bar.height, bar.point.value === 0 ? 0 : 1)} class={bar.point.value < 0 ? 'bar negative' : 'bar'} />
            {bar.showLabel && (
              <text x={bar.x + bar.width / 2} y={HEIGHT - 4} text-anchor="middle">
                {bar.point.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <table class="visually-hidden">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">{props.valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {props.points.map((point) => (
            <tr key={point.label}>
              <th scope="row">{point.name}</th>
              <td>{props.format(point.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
