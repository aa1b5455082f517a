/**
 * The receipt's Code 128 barcode, read back by an independent decoder (zxing-wasm, in Node) from a
 * bitmap drawn from our bar widths, so a wrong pattern, check character or quiet zone fails here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { code128B, isCode128BText } from '../../src/domain/code128.ts';

/** A 24-bit BMP of the bars (black on white), 2 px per module, 10 modules quiet zone. */
function bmpOf(widths: number[], moduleWidth = 2, height = 60): Uint8Array {
  const quiet = 10;
  const modules = widths.reduce((s, w) => s + w, 0) + 2 * quiet;
  const width = modules * moduleWidth;
  const row = new Uint8Array(width).fill(255);
  let x = quiet;
  widths.forEach((w, i) => {
    if (i % 2 === 0) row.fill(0, x * moduleWidth, (x + w) * moduleWidth);
    x += w;
  });
  const stride = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + stride * height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, stride * height, true);
  for (let y = 0; y < height; y++) {
    for (let px = 0; px < width; px++) out.fill(row[px] ?? 255, 54 + y * stride + px * 3, 54 + y * stride + px * 3 + 3);
  }
  return out;
}

beforeAll(async () => {
  const bytes = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, fireImmediately: true });
});

describe('Code 128 set B for receipt numbers', () => {
  it.each(['AB12-7', 'K7QX-10045', 'Receipt 1', '~{}| !', 'x'])('%s reads back exactly', async (text) => {
    const [read] = await readBarcodes(bmpOf(code128B(text)), { formats: ['Code128'], tryHarder: false });
    expect(read?.text).toBe(text);
    expect(read?.format).toBe('Code128');
  });

  it('has the standard structure: start B, 11 modules per character, check, stop of 13', () => {
    const widths = code128B('AB12-7');
    expect(widths.slice(0, 6)).toEqual([2, 1, 1, 2, 1, 4]); // start B
    expect(widths.slice(-7)).toEqual([2, 3, 3, 1, 1, 1, 2]); // stop
    expect(widths.reduce((s, w) => s + w, 0)).toBe(11 * (1 + 6 + 1) + 13);
  });

  it('refuses what set B cannot carry', () => {
    expect(isCode128BText('')).toBe(false);
    expect(isCode128BText('Å-1')).toBe(false);
    expect(() => code128B('tab\there')).toThrow(/printable ASCII/);
  });
});
