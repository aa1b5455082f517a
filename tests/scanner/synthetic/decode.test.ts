/**
 * Decoding on barcodes the tests render themselves (synthetic-set.ts), so a plain clone without
 * ../shared/barcode-corpus still checks the decoder on the defects of real photos. The decoder is
 * the app's: the default zxing-wasm engine (second look included) with every format the camera
 * scanner asks for, then acceptRead. Per defect class, at least a fixed number of images must read
 * correctly and none may misread; pictures without a barcode must give nothing.
 *
 * The set is deterministic (seeded), so the counts below are exact measurements, not samples: the
 * floors sit two images below what was measured (zxing-wasm 3.1.4) so that a decoder update may
 * shift a borderline image, while a real loss still fails; the clean control must read every image. A better decoder shows in the console
 * lines and can raise a floor.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptRead, readKey, type ScanRead } from '../../../src/scanner/shared/accept-read.ts';
import { createZxingWasmEngine, loadZxingWasm } from '../../../src/scanner/shared/engines/zxing-wasm.ts';
import { SCAN_FORMATS } from '../../../src/scanner/shared/formats.ts';
import { toRgba } from './luma.ts';
import { DEFECTS, NO_BARCODE_KINDS, noBarcodePictures, SYNTHETIC_FORMATS, syntheticBarcodes, type Defect, type SyntheticImage } from './synthetic-set.ts';

/** Codes per format; each is photographed once per defect class (7 formats × 5 = 35 images a class). */
const CODES_PER_FORMAT = 5;
const PICTURES_PER_KIND = 6;
const IMAGES_PER_DEFECT = SYNTHETIC_FORMATS.length * CODES_PER_FORMAT;

/** Images read correctly, out of 35: measured, and the floor this test holds the decoder to. */
const FLOORS: Record<Defect, { measured: number; atLeast: number }> = {
  clean: { measured: 35, atLeast: 35 },
  blur: { measured: 13, atLeast: 11 },
  noise: { measured: 35, atLeast: 33 },
  'low-contrast': { measured: 23, atLeast: 21 },
  glare: { measured: 34, atLeast: 32 },
  rotation: { measured: 27, atLeast: 25 },
  perspective: { measured: 34, atLeast: 32 },
  jpeg: { measured: 35, atLeast: 33 },
  'thin-bars': { measured: 30, atLeast: 28 },
  photo: { measured: 35, atLeast: 33 },
};

/**
 * Misreads this set found in today's decoder, each a wrong product at the till. They are listed by
 * name, not hidden by narrowing the defects: any other misread fails, and these may only improve
 * (a read that becomes correct or empty is reported so the entry can go).
 */
const KNOWN_MISREADS: Record<string, string> = {
  // Blur of 0.43 module: zxing-cpp finds a different EAN-13 whose check digit happens to hold.
  'ean13/blur/4': '0988847704148',
  // Glare over the right third of an ITF-14: the left part reads as a complete 8-digit ITF, which
  // has no check digit (acceptRead lets short ITF through on the decoder's structure checks).
  'itf/glare/3': '15973219',
  // 1.56 px per module: two Code 128 symbols change together and the mod-103 checksum still holds.
  'code128/thin-bars/2': 'feog5xW\\4W',
};

interface Outcome {
  image: SyntheticImage;
  read: ScanRead | null;
  correct: boolean;
}

function expectedKey(image: SyntheticImage): string | null {
  if (image.text === null || image.format === null) return null;
  const read = acceptRead({ text: image.text, format: image.format });
  if (read === null) throw new Error(`${image.name}: the generator made an invalid code ${image.text}`);
  return readKey(read);
}

describe('decoding synthetic barcode photos (rendered with bwip-js, defects added)', () => {
  const outcomes = new Map<string, Outcome[]>();

  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await loadZxingWasm({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    const engine = createZxingWasmEngine();
    const images = [...(await syntheticBarcodes(CODES_PER_FORMAT)), ...noBarcodePictures(PICTURES_PER_KIND)];
    for (const image of images) {
      const raws = await engine.decode(toRgba(image.image) as ImageData, SCAN_FORMATS);
      const read = raws.map(acceptRead).find((r) => r !== null) ?? null;
      const expected = expectedKey(image);
      const outcome = { image, read, correct: read !== null && expected !== null && readKey(read) === expected };
      const group = image.format === null ? `none/${image.defect}` : image.defect;
      outcomes.set(group, [...(outcomes.get(group) ?? []), outcome]);
    }
  });

  for (const defect of DEFECTS) {
    const floor = FLOORS[defect];
    const known = Object.keys(KNOWN_MISREADS).filter((name) => name.split('/')[1] === defect);
    const misreadRule = known.length === 0 ? 'no misread' : `no misread but ${known.join(', ')}`;
    it(`${defect}: at least ${floor.atLeast} of ${IMAGES_PER_DEFECT} read correctly, ${misreadRule}`, () => {
      const results = outcomes.get(defect) ?? [];
      expect(results).toHaveLength(IMAGES_PER_DEFECT);
      const correct = results.filter((o) => o.correct).length;
      const misreads = results.filter((o) => o.read !== null && !o.correct);
      const missed = results.filter((o) => o.read === null).map((o) => o.image.name);
      console.info(`${defect}: ${correct} of ${results.length} correct (floor ${floor.atLeast}); missed ${missed.join(' ') || 'none'}`);
      for (const name of known) {
        if (!misreads.some((o) => o.image.name === name)) console.info(`${name} no longer misreads: remove it from KNOWN_MISREADS`);
      }
      const unexpected = misreads.filter((o) => KNOWN_MISREADS[o.image.name] !== o.read?.text);
      expect(unexpected.map((o) => `${o.image.name}: printed ${o.image.text}, read ${o.read?.format}:${o.read?.text}`)).toEqual([]);
      expect(correct).toBeGreaterThanOrEqual(floor.atLeast);
    });
  }

  for (const kind of NO_BARCODE_KINDS) {
    it(`no barcode (${kind}): ${PICTURES_PER_KIND} pictures decode to nothing`, () => {
      const results = outcomes.get(`none/${kind}`) ?? [];
      expect(results).toHaveLength(PICTURES_PER_KIND);
      expect(results.filter((o) => o.read !== null).map((o) => `${o.image.name}: read ${o.read?.format}:${o.read?.text}`)).toEqual([]);
    });
  }
});
