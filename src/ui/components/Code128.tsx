import { code128B, isCode128BText } from '../../domain/code128.ts';

const QUIET_MODULES = 10;

/** A Code 128 barcode as SVG: crisp at any print resolution, no image decoding, no library. */
export function Code128({ text, moduleWidth = 2, height = 48 }: { text: string; moduleWidth?: number; height?: number }) {
  if (!isCode128BText(text)) return null;
  const widths = code128B(text);
  const modules = widths.reduce((sum, w) => sum + w, 0) + 2 * QUIET_MODULES;
  let x = QUIET_MODULES;
  const bars: { x: number; w: number }[] = [];
  widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push({ x, w });
    x += w;
  });
  return (
    <svg
      class="code128"
      role="img"
      aria-label={`Barcode of ${text}`}
      width={modules * moduleWidth}
      height={height}
      viewBox={`0 0 ${modules} ${height}`}
      preserveAspectRatio="none"
      shape-rendering="crispEdges"
    >
      <rect x="0" y="0" width={modules} height={height} fill="#fff" />
      {bars.map((b) => (
        <rect key={b.x} x={b.x} y="0" width={b.w} height={height} fill="#000" />
      ))}
    </svg>
  );
}
