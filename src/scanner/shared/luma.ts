/**
 * Camera frames as the decoder wants them. A camera delivers YUV (I420 on desktops, NV12 on
 * phones) whose Y plane already is the grey image zxing-cpp computes from RGBA; reading it straight
 * from a WebCodecs VideoFrame skips the YUV→RGB conversion, drawImage and getImageData that
 * otherwise cost more than the decode itself (see src/scanner/README.md). Pure functions on
 * buffers, so the worker, the benchmark and Node tests share them.
 */

/** VideoFrame pixel formats whose first plane is 8-bit luma. */
export const LUMA_FIRST_FORMATS: ReadonlySet<string> = new Set(['I420', 'I420A', 'I422', 'I422A', 'I444', 'I444A', 'NV12']);

/** A crop rectangle aligned to even pixels, as 4:2:0 VideoFrame.copyTo requires. */
export function evenRect(sx: number, sy: number, sw: number, sh: number, frameWidth: number, frameHeight: number): { x: number; y: number; width: number; height: number } {
  const x = Math.max(0, sx - (sx % 2));
  const y = Math.max(0, sy - (sy % 2));
  const width = Math.max(2, Math.min(frameWidth - x, sw + (sx - x)) & ~1);
  const height = Math.max(2, Math.min(frameHeight - y, sh + (sy - y)) & ~1);
  return { x, y, width, height };
}

/**
 * The luma plane (`stride` bytes per row, starting at `offset`) as opaque grey RGBA of at most
 * `maxWidth` pixels wide, scaled down with bilinear filtering when wider. Writes into `out` when it
 * has the right size, so a camera loop allocates once.
 */
export function lumaToRgba(
  plane: Uint8Array,
  offset: number,
  stride: number,
  width: number,
  height: number,
  maxWidth: number,
  out?: Uint8ClampedArray<ArrayBuffer>,
): { data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number } {
  const scale = maxWidth > 0 && width > maxWidth ? maxWidth / width : 1;
  const outWidth = scale === 1 ? width : Math.round(width * scale);
  const outHeight = scale === 1 ? height : Math.max(1, Math.round(height * scale));
  const data = out !== undefined && out.length === outWidth * outHeight * 4 ? out : new Uint8ClampedArray(outWidth * outHeight * 4);
  const pixels = new Uint32Array(data.buffer, data.byteOffset, outWidth * outHeight);
  // Little-endian RGBA: alpha in the high byte. (Every browser that runs this is little-endian.)
  if (scale === 1) {
    for (let y = 0; y < height; y++) {
      let source = offset + y * stride;
      let target = y * width;
      const end = target + width;
      while (target < end) {
        const v = plane[source++] ?? 0;
        pixels[target++] = 0xff000000 | (v << 16) | (v << 8) | v;
      }
    }
    return { data, width: outWidth, height: outHeight };
  }
  // Bilinear: each output pixel samples the source at its centre.
  const step = 1 / scale;
  const xs0 = new Int32Array(outWidth);
  const xs1 = new Int32Array(outWidth);
  const xw = new Float32Array(outWidth);
  for (let x = 0; x < outWidth; x++) {
    const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * step - 0.5));
    const x0 = Math.floor(fx);
    xs0[x] = x0;
    xs1[x] = Math.min(width - 1, x0 + 1);
    xw[x] = fx - x0;
  }
  for (let y = 0; y < outHeight; y++) {
    const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * step - 0.5));
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    const row0 = offset + y0 * stride;
    const row1 = offset + Math.min(height - 1, y0 + 1) * stride;
    let target = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const a = xs0[x] ?? 0;
      const b = xs1[x] ?? 0;
      const wx = xw[x] ?? 0;
      const top = (plane[row0 + a] ?? 0) * (1 - wx) + (plane[row0 + b] ?? 0) * wx;
      const bottom = (plane[row1 + a] ?? 0) * (1 - wx) + (plane[row1 + b] ?? 0) * wx;
      const v = (top * (1 - wy) + bottom * wy + 0.5) | 0;
      pixels[target++] = 0xff000000 | (v << 16) | (v << 8) | v;
    }
  }
  return { data, width: outWidth, height: outHeight };
}
