/**
 * The decoder's second look at an image where the first found nothing: the same pixels, twice as
 * wide. zxing-cpp measures a 1D code's bars in whole pixels along a row; at about 2 px per module
 * (a code held far away, a small photo) a blurred edge rounds one bar a pixel too wide and its
 * neighbour a pixel too narrow, and the pattern no longer fits. Interpolated in between, each edge
 * lands on a half pixel and the widths round right (upca-2/41.png in the corpus, see
 * src/scanner/README.md). Only the width changes: bars of a horizontal code stay as tall as they were.
 */

/** RGBA pixels, the shape of ImageData (which Node lacks). */
export interface RgbaImage {
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/**
 * `image` as opaque grey RGBA, twice as wide, by linear interpolation between pixel centres: source
 * pixel k becomes the pair ¾·k + ¼·(k−1) and ¾·k + ¼·(k+1) (edges repeat the border pixel). Grey,
 * because zxing-cpp reduces RGBA to grey with these same integer weights before reading anything.
 *
 * Writes into the start of `scratch` when it is big enough: in Chromium, first writes to a fresh
 * multi-megabyte buffer cost more than the widening itself (measured 15 ms vs 1–2 ms for a
 * 480×480 image under load), so the camera loop reuses one buffer.
 */
export function widenTwice(image: RgbaImage, scratch?: Uint8ClampedArray<ArrayBuffer>): RgbaImage {
  const { data, width, height } = image;
  const outWidth = width * 2;
  const size = outWidth * height * 4;
  const out = scratch !== undefined && scratch.length >= size ? scratch.subarray(0, size) : new Uint8ClampedArray(size);
  const pixels = new Uint32Array(out.buffer, out.byteOffset, outWidth * height);
  const row = new Uint16Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = y * width * 4; x < width; x++, p += 4) {
      row[x] = ((data[p] ?? 0) * 306 + (data[p + 1] ?? 0) * 601 + (data[p + 2] ?? 0) * 117 + 512) >> 10;
    }
    let target = y * outWidth;
    for (let x = 0; x < width; x++) {
      const centre = 3 * (row[x] ?? 0);
      const left = row[x > 0 ? x - 1 : 0] ?? 0;
      const right = row[x + 1 < width ? x + 1 : x] ?? 0;
      const a = (centre + left + 2) >> 2;
      const b = (centre + right + 2) >> 2;
      // Little-endian RGBA: alpha in the high byte (every browser that runs this is little-endian).
      pixels[target++] = 0xff000000 | (a << 16) | (a << 8) | a;
      pixels[target++] = 0xff000000 | (b << 16) | (b << 8) | b;
    }
  }
  return { data: out, width: outWidth, height };
}
