/**
 * The decoder's second look: the image widened 2× when the first look finds nothing (issue #6,
 * upca-2/41.png of ../shared/barcode-corpus, checked when that folder is present), and the camera
 * loop's cadence that bounds its cost.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptRead } from '../../src/scanner/shared/accept-read.ts';
import { createZxingWasmEngine, loadZxingWasm } from '../../src/scanner/shared/engines/zxing-wasm.ts';
import { SECOND_LOOK_EVERY, SecondLookCadence } from '../../src/scanner/shared/second-look.ts';
import { widenTwice, type RgbaImage } from '../../src/scanner/shared/widen.ts';
import { absentNotice, sharedDataSet } from '../shared-data.ts';
import { readPng, turned180 } from './png.ts';

function greyRow(values: number[]): RgbaImage {
  const data = new Uint8ClampedArray(values.length * 4);
  values.forEach((v, i) => data.set([v, v, v, 255], i * 4));
  return { data, width: values.length, height: 1 };
}

const greyOf = (image: RgbaImage): number[] => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 4] ?? -1);

describe('widenTwice', () => {
  it('turns each pixel into two, each ¾ itself and ¼ its neighbour on that side', () => {
    const wide = widenTwice(greyRow([0, 200, 100]));
    expect([wide.width, wide.height]).toEqual([6, 1]);
    // 0 → (0, ¾·0+¼·200); 200 → (¾·200+¼·0, ¾·200+¼·100); 100 → (¾·100+¼·200, 100 at the border).
    expect(greyOf(wide)).toEqual([0, 50, 150, 175, 125, 100]);
    expect(wide.data[3]).toBe(255);
  });

  it('keeps rows apart and makes colour grey with zxing-cpp’s weights', () => {
    const image: RgbaImage = { data: Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255]), width: 1, height: 2 };
    const wide = widenTwice(image);
    expect([wide.width, wide.height]).toEqual([2, 2]);
    // (306·255 + 512) >> 10 = 76; (601·255 + 512) >> 10 = 150.
    expect(greyOf(wide)).toEqual([76, 76, 150, 150]);
  });

  it('writes into a big enough scratch buffer instead of allocating', () => {
    const scratch = new Uint8ClampedArray(100);
    const wide = widenTwice(greyRow([10, 20, 30]), scratch);
    expect(wide.data.buffer).toBe(scratch.buffer);
    expect(wide.data.length).toBe(6 * 4);
    expect(widenTwice(greyRow(new Array<number>(20).fill(5)), scratch).data.buffer).not.toBe(scratch.buffer);
  });
});

describe('SecondLookCadence', () => {
  it('allows the second look on every n-th frame in a row without a read; a read starts over', () => {
    const cadence = new SecondLookCadence(3);
    const due: boolean[] = [];
    for (const read of [false, false, false, false, false, false, true, false, false, false]) {
      due.push(cadence.due());
      cadence.record(read);
    }
    expect(due).toEqual([false, false, true, false, false, true, false, false, false, true]);
  });

  it('every frame with a cadence of 1; rejects nonsense', () => {
    const always = new SecondLookCadence(1);
    expect(always.due()).toBe(true);
    always.record(false);
    expect(always.due()).toBe(true);
    expect(() => new SecondLookCadence(0)).toThrow();
    expect(SECOND_LOOK_EVERY).toBeGreaterThan(1);
  });
});

const corpus = sharedDataSet('barcode-corpus');
const absent = absentNotice(corpus, 'the second look on upca-2/41.png');
if (!corpus.present) console.warn(absent);

describe.skipIf(!corpus.present)(corpus.present ? 'upca-2/41.png: the image the first look missed' : absent, () => {
  let image: RgbaImage;
  let expected: string;
  const textOf = async (engine: ReturnType<typeof createZxingWasmEngine>, pixels: RgbaImage, secondLook = true): Promise<string | null> =>
    (await engine.decode(pixels as ImageData, ['upca'], { secondLook })).map(acceptRead).find((r) => r !== null)?.text ?? null;

  beforeAll(async () => {
    image = readPng(join(corpus.path, 'upca-2/41.png'));
    expected = readFileSync(join(corpus.path, 'upca-2/41.txt'), 'utf8').trim();
    const require = createRequire(import.meta.url);
    const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await loadZxingWasm({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  });

  it('is read upright and turned 180° by the default engine', async () => {
    const engine = createZxingWasmEngine();
    expect(await textOf(engine, image)).toBe(expected);
    expect(await textOf(engine, turned180(image))).toBe(expected);
  });

  it('is missed by the first look alone, and when the caller refuses the second look', async () => {
    const firstLookOnly = createZxingWasmEngine(undefined, null);
    expect(await textOf(firstLookOnly, image)).toBeNull();
    expect(await textOf(firstLookOnly, turned180(image))).toBeNull();
    expect(await textOf(createZxingWasmEngine(), image, false)).toBeNull();
  });
});
