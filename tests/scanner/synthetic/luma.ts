/**
 * Image operations on a grey (luma) image, enough to give a clean rendered barcode the defects of a
 * photo: optical blur, sensor noise, low contrast, glare, rotation and perspective (with bilinear
 * sampling, averaged over several points per pixel so a downscale to 1–2 px per module is not
 * aliased), and JPEG compression (jpeg.ts). Values are 0–255 floats until `toRgba` rounds them.
 */
import type { RgbaImage } from '../../../src/scanner/shared/widen.ts';
import type { Prng } from './prng.ts';

export interface Luma {
  width: number;
  height: number;
  data: Float32Array;
}

export function blank(width: number, height: number, value: number): Luma {
  return { width, height, data: new Float32Array(width * height).fill(value) };
}

/** Grey from RGBA with zxing-cpp's weights (as src/scanner/shared/widen.ts). */
export function fromRgba(image: RgbaImage): Luma {
  const out = blank(image.width, image.height, 0);
  for (let i = 0; i < out.data.length; i++) {
    const r = image.data[i * 4] ?? 0;
    const g = image.data[i * 4 + 1] ?? 0;
    const b = image.data[i * 4 + 2] ?? 0;
    out.data[i] = (306 * r + 601 * g + 117 * b) / 1024;
  }
  return out;
}

/** RGBA pixels, as the browser's canvas gives the decoder worker. */
export function toRgba(image: Luma): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0; i < image.data.length; i++) {
    const v = Math.round(image.data[i] ?? 0);
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { data, width: image.width, height: image.height };
}

/** Separable Gaussian blur (out-of-focus lens, hand shake), edges repeated. */
export function gaussianBlur(image: Luma, sigma: number): Luma {
  if (sigma <= 0) return image;
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = Float64Array.from(kernel, (k) => k / total);
  const { width, height } = image;
  // One pass along rows of `length` pixels `stride` apart, `lines` of them `pitch` apart.
  const pass = (source: Float32Array, length: number, stride: number, lines: number, pitch: number): Float32Array => {
    const out = new Float32Array(source.length);
    for (let line = 0; line < lines; line++) {
      const base = line * pitch;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const j = i + k < 0 ? 0 : i + k >= length ? length - 1 : i + k;
          sum += (weights[k + radius] ?? 0) * (source[base + j * stride] ?? 0);
        }
        out[base + i * stride] = sum;
      }
    }
    return out;
  };
  const rows = pass(image.data, width, 1, height, width);
  return { width, height, data: pass(rows, height, width, width, 1) };
}

/** Gaussian sensor noise of the given standard deviation, in grey levels. */
export function addNoise(image: Luma, sigma: number, random: Prng): Luma {
  const data = image.data.map((v) => v + sigma * random.gaussian());
  return { ...image, data };
}

/** Dim light or faded print: the whole range 0–255 squeezed into `range` levels around `centre`. */
export function compressContrast(image: Luma, range: number, centre: number): Luma {
  const data = image.data.map((v) => centre + ((v - 127.5) * range) / 255);
  return { ...image, data };
}

/** A bright reflection: a Gaussian blob that pulls pixels toward white, `strength` 1 = fully white at its centre. */
export function addGlare(image: Luma, cx: number, cy: number, radius: number, strength: number): Luma {
  const data = new Float32Array(image.data);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const a = strength * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius * radius));
      const i = y * image.width + x;
      data[i] = (data[i] ?? 0) + (255 - (data[i] ?? 0)) * a;
    }
  }
  return { ...image, data };
}

/** Values clipped to 0–255, as a sensor saturates. */
export function clip(image: Luma): Luma {
  return { ...image, data: image.data.map((v) => (v < 0 ? 0 : v > 255 ? 255 : v)) };
}

export type Point = readonly [number, number];
/** A projective map (3×3 matrix, last entry 1) from output pixels to source pixels. */
export type Homography = readonly number[];

/** The homography taking each `from[i]` to `to[i]` (four points, no three on a line). */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  // Eight equations in h0…h7: u (h6 x + h7 y + 1) = h0 x + h1 y + h2, likewise v; solved by
  // Gauss–Jordan elimination with partial pivoting on a row-major 8 × 9 matrix.
  const m = new Float64Array(8 * 9);
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] ?? [0, 0];
    const [u, v] = to[i] ?? [0, 0];
    m.set([x, y, 1, 0, 0, 0, -u * x, -u * y, u], 2 * i * 9);
    m.set([0, 0, 0, x, y, 1, -v * x, -v * y, v], (2 * i + 1) * 9);
  }
  const get = (r: number, c: number): number => m[r * 9 + c] ?? 0;
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(get(r, col)) > Math.abs(get(pivot, col))) pivot = r;
    for (let c = 0; c < 9; c++) {
      const t = get(col, c);
      m[col * 9 + c] = get(pivot, c);
      m[pivot * 9 + c] = t;
    }
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const factor = get(r, col) / get(col, col);
      for (let c = col; c < 9; c++) m[r * 9 + c] = get(r, c) - factor * get(col, c);
    }
  }
  return [...Array.from({ length: 8 }, (_, i) => get(i, 8) / get(i, i)), 1];
}

export function project(h: Homography, x: number, y: number): Point {
  const [h0 = 1, h1 = 0, h2 = 0, h3 = 0, h4 = 1, h5 = 0, h6 = 0, h7 = 0] = h;
  const w = h6 * x + h7 * y + 1;
  return [(h0 * x + h1 * y + h2) / w, (h3 * x + h4 * y + h5) / w];
}

/**
 * The output image: each pixel the mean of `samples`² bilinear samples of the source at the points
 * `toSource` maps it to, `outside` where that falls off the source (the table under the paper).
 */
export function warp(source: Luma, width: number, height: number, toSource: Homography, samples: number, outside: number): Luma {
  const out = blank(width, height, 0);
  const [h0 = 1, h1 = 0, h2 = 0, h3 = 0, h4 = 1, h5 = 0, h6 = 0, h7 = 0] = toSource;
  const { width: sw, height: sh, data: src } = source;
  const step = 1 / samples;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let j = 0; j < samples; j++) {
        const py = y + (j + 0.5) * step;
        for (let i = 0; i < samples; i++) {
          const px = x + (i + 0.5) * step;
          const w = h6 * px + h7 * py + 1;
          // Pixel centres sit at half-integers.
          const sx = (h0 * px + h1 * py + h2) / w - 0.5;
          const sy = (h3 * px + h4 * py + h5) / w - 0.5;
          if (!(sx >= -0.5 && sy >= -0.5 && sx <= sw - 0.5 && sy <= sh - 0.5)) {
            sum += outside;
            continue;
          }
          // Within half a pixel of the border the border pixel is repeated.
          const x0 = Math.min(Math.max(Math.floor(sx), 0), sw - 1);
          const y0 = Math.min(Math.max(Math.floor(sy), 0), sh - 1);
          const x1 = Math.min(x0 + 1, sw - 1);
          const y1 = Math.min(y0 + 1, sh - 1);
          const fx = Math.min(Math.max(sx - x0, 0), 1);
          const fy = Math.min(Math.max(sy - y0, 0), 1);
          const top = (src[y0 * sw + x0] ?? 0) * (1 - fx) + (src[y0 * sw + x1] ?? 0) * fx;
          const bottom = (src[y1 * sw + x0] ?? 0) * (1 - fx) + (src[y1 * sw + x1] ?? 0) * fx;
          sum += top * (1 - fy) + bottom * fy;
        }
      }
      out.data[y * width + x] = sum / (samples * samples);
    }
  }
  return out;
}
