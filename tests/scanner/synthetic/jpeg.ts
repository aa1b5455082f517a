/**
 * JPEG artefacts without a JPEG library: what a JPEG encoder loses is the rounding of each 8 × 8
 * block's DCT coefficients to multiples of the quantisation table, so doing exactly that and
 * transforming back gives the same blocking and ringing around bar edges. Greyscale (JPEG's luma
 * channel), the standard luminance table (ITU T.81 Annex K) scaled by quality as libjpeg does.
 */
import { blank, type Luma } from './luma.ts';

const LUMINANCE_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** libjpeg's quality scaling: 50 is the table itself, 100 all ones, lower is coarser. */
export function quantisationTable(quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return LUMINANCE_TABLE.map((t) => Math.min(255, Math.max(1, Math.floor((t * scale + 50) / 100))));
}

// COS[x * 8 + u] = c(u) / 2 · cos((2x + 1) u π / 16): the orthonormal 8-point DCT-II basis.
const COS = Array.from({ length: 64 }, (_, i) => {
  const x = Math.floor(i / 8);
  const u = i % 8;
  return (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
});
const cos = (x: number, u: number): number => COS[x * 8 + u] ?? 0;

/** In place: the 8 × 8 block's 2-D DCT (forward) or inverse DCT, one dimension at a time. */
function transform(block: Float64Array, inverse: boolean): void {
  const line = new Float64Array(8);
  for (const [stride, pitch] of [[1, 8], [8, 1]] as const) {
    for (let l = 0; l < 8; l++) {
      for (let k = 0; k < 8; k++) {
        let sum = 0;
        // Forward: X[k] = Σx f[x]·C(x,k); inverse: f[k] = Σu X[u]·C(k,u).
        for (let n = 0; n < 8; n++) sum += (block[l * pitch + n * stride] ?? 0) * (inverse ? cos(k, n) : cos(n, k));
        line[k] = sum;
      }
      for (let k = 0; k < 8; k++) block[l * pitch + k * stride] = line[k] ?? 0;
    }
  }
}

/** The image after a JPEG encode and decode at `quality` (1–100), rounded to whole grey levels. */
export function jpegRoundTrip(image: Luma, quality: number): Luma {
  const table = quantisationTable(quality);
  const out = blank(image.width, image.height, 0);
  const block = new Float64Array(64);
  for (let by = 0; by < image.height; by += 8) {
    for (let bx = 0; bx < image.width; bx += 8) {
      // Level shift, edge pixels repeated into a partial block (as encoders pad).
      for (let i = 0; i < 64; i++) {
        const x = Math.min(bx + (i % 8), image.width - 1);
        const y = Math.min(by + Math.floor(i / 8), image.height - 1);
        block[i] = Math.round(Math.min(255, Math.max(0, image.data[y * image.width + x] ?? 0))) - 128;
      }
      transform(block, false);
      for (let i = 0; i < 64; i++) {
        const step = table[i] ?? 1;
        block[i] = Math.round((block[i] ?? 0) / step) * step;
      }
      transform(block, true);
      for (let y = 0; y < 8 && by + y < image.height; y++) {
        for (let x = 0; x < 8 && bx + x < image.width; x++) {
          out.data[(by + y) * image.width + bx + x] = Math.min(255, Math.max(0, Math.round((block[y * 8 + x] ?? 0) + 128)));
        }
      }
    }
  }
  return out;
}
