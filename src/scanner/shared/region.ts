/** Scan regions: realm-neutral, used by the bridge (UI thread) and the decoder worker. */

/** The part of the frame that is decoded, as fractions of its width and height (0…1). */
export interface ScanRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A wide band across the middle: where people hold a 1D barcode, and 40 % fewer pixels to read. */
export const DEFAULT_SCAN_REGION: ScanRegion = { x: 0.05, y: 0.2, width: 0.9, height: 0.6 };

/** The pixel rectangle of a region in a frame of the given size, never empty, never outside. */
export function cropRectangle(
  frameWidth: number,
  frameHeight: number,
  region: ScanRegion,
): { sx: number; sy: number; sw: number; sh: number } {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const x0 = clamp(region.x);
  const y0 = clamp(region.y);
  const x1 = clamp(region.x + region.width);
  const y1 = clamp(region.y + region.height);
  const sx = Math.floor(x0 * frameWidth);
  const sy = Math.floor(y0 * frameHeight);
  return {
    sx,
    sy,
    sw: Math.max(1, Math.min(frameWidth - sx, Math.round((x1 - x0) * frameWidth))),
    sh: Math.max(1, Math.min(frameHeight - sy, Math.round((y1 - y0) * frameHeight))),
  };
}
