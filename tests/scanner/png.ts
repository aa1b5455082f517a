/**
 * Just enough PNG decoding for the barcode corpus in Node (which has no canvas): 8-bit grey, RGB,
 * grey+alpha and RGBA, palette images of 1, 2, 4 or 8 bits, not interlaced. Gives RGBA pixels, so
 * tests hand zxing-wasm the same kind of input the browser's canvas gives the worker; zxing-wasm
 * decoding the file bytes itself would skip the path that widens pixels for the second look.
 */
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import type { RgbaImage } from '../../src/scanner/shared/widen.ts';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c);
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function readPng(path: string): RgbaImage {
  return decodePng(readFileSync(path), path);
}

/** `decodePng(bytes, name)`: the same for PNG bytes in memory (`name` only for error messages). */
export function decodePng(file: Buffer, path: string): RgbaImage {
  let width = 0;
  let height = 0;
  let depth = 0;
  let colourType = 0;
  let palette: Buffer | null = null;
  let transparency: Buffer | null = null;
  const compressed: Buffer[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const kind = file.toString('ascii', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (kind === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8] ?? 0;
      colourType = body[9] ?? 0;
      if (body[12] !== 0) throw new Error(`${path}: interlaced PNG is not supported`);
    } else if (kind === 'PLTE') palette = body;
    else if (kind === 'tRNS') transparency = body;
    else if (kind === 'IDAT') compressed.push(body);
    at += 12 + length;
  }
  const channels = CHANNELS[colourType];
  if (channels === undefined || (depth !== 8 && colourType !== 3)) throw new Error(`${path}: PNG colour type ${colourType}, depth ${depth} not supported`);
  const raw = inflateSync(Buffer.concat(compressed));
  const bytesPerPixel = Math.max(1, (channels * depth) >> 3);
  const stride = Math.ceil((width * channels * depth) / 8);
  const out = new Uint8ClampedArray(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start];
    const line = Uint8Array.from(raw.subarray(start + 1, start + 1 + stride));
    for (let i = 0; i < stride; i++) {
      const a = i >= bytesPerPixel ? (line[i - bytesPerPixel] ?? 0) : 0;
      const b = previous[i] ?? 0;
      const c = i >= bytesPerPixel ? (previous[i - bytesPerPixel] ?? 0) : 0;
      const predicted = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      line[i] = ((line[i] ?? 0) + predicted) & 255;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let rgba: [number, number, number, number];
      if (colourType === 3) {
        const bit = x * depth;
        const index = ((line[bit >> 3] ?? 0) >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        rgba = [palette?.[index * 3] ?? 0, palette?.[index * 3 + 1] ?? 0, palette?.[index * 3 + 2] ?? 0, transparency?.[index] ?? 255];
      } else {
        const p = x * channels;
        const v = (k: number): number => line[p + k] ?? 0;
        rgba = colourType === 0 ? [v(0), v(0), v(0), 255] : colourType === 4 ? [v(0), v(0), v(0), v(1)] : colourType === 2 ? [v(0), v(1), v(2), 255] : [v(0), v(1), v(2), v(3)];
      }
      out.set(rgba, o);
    }
    previous = line;
  }
  return { data: out, width, height };
}

/** The image turned 180°, as the benchmark reads every corpus image a second time. */
export function turned180(image: RgbaImage): RgbaImage {
  const pixels = image.width * image.height;
  const source = new Uint32Array(image.data.buffer, image.data.byteOffset, pixels);
  const data = new Uint8ClampedArray(pixels * 4);
  const target = new Uint32Array(data.buffer);
  for (let i = 0; i < pixels; i++) target[pixels - 1 - i] = source[i] ?? 0;
  return { data, width: image.width, height: image.height };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 255] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(kind: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(kind, 4, 'ascii');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, tail]);
}

/** An 8-bit greyscale PNG of the image's red channel (the synthetic photos are grey), for the bench. */
export function encodeGreyPng(image: RgbaImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc((image.width + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) raw[y * (image.width + 1) + 1 + x] = image.data[(y * image.width + x) * 4] ?? 0;
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
