/**
 * Where the bars of a small bar chart go (pure, so the benchmark can time it without a DOM): the
 * Today screen's sales by hour and by day are drawn from this as inline SVG (SalesChart.tsx).
 */
export interface ChartPoint {
  /** Under the bar, e.g. '14' or '03-11'. */
  label: string;
  /** Read out in the chart's table, e.g. 'Wednesday 11 March'. */
  name: string;
  value: number;
}

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  point: ChartPoint;
  /** The label is drawn under every few bars only, so labels never overlap. */
  showLabel: boolean;
}

export interface ChartLayout {
  width: number;
  height: number;
  /** The y of the zero line: bars above are sales, below are net refunds. */
  baseline: number;
  max: number;
  bars: ChartBar[];
}

const LABEL_SPACE = 18;
const TOP_SPACE = 6;
/** The narrowest a label may be given before labels are thinned out. */
const LABEL_WIDTH = 24;

export function barChartLayout(points: readonly ChartPoint[], width: number, height: number): ChartLayout {
  const max = Math.max(0, ...points.map((p) => p.value));
  const min = Math.min(0, ...points.map((p) => p.value));
  const span = max - min || 1;
  const plot = height - LABEL_SPACE - TOP_SPACE;
  const baseline = TOP_SPACE + (plot * max) / span;
  const slot = width / Math.max(points.length, 1);
  const every = Math.max(1, Math.ceil(LABEL_WIDTH / slot));
  const bars = points.map((point, i) => {
    const size = (plot * Math.abs(point.value)) / span;
    return {
      x: round1(i * slot + slot * 0.15),
      y: round1(point.value >= 0 ? baseline - size : baseline),
      width: round1(slot * 0.7),
      height: round1(size),
      point,
      showLabel: i % every === 0,
    };
  });
  return { width, height, baseline: round1(baseline), max, bars };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
