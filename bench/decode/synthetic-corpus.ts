/**
 * The synthetic barcode photos of tests/scanner/synthetic written out as a corpus in the layout of
 * ../shared/barcode-corpus (a folder per format and defect, `NN.png` with its text in `NN.txt`,
 * `falsepositives-*` without a barcode), so `npm run bench:decode` has images in a plain clone.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGreyPng } from '../../tests/scanner/png.ts';
import { toRgba } from '../../tests/scanner/synthetic/luma.ts';
import { noBarcodePictures, syntheticBarcodes } from '../../tests/scanner/synthetic/synthetic-set.ts';

/** Writes the set under `root` (replacing what was there) and returns how many images it holds. */
export async function writeSyntheticCorpus(root: string, codesPerFormat: number, picturesPerKind: number): Promise<number> {
  rmSync(root, { recursive: true, force: true });
  const images = [...(await syntheticBarcodes(codesPerFormat)), ...noBarcodePictures(picturesPerKind)];
  for (const image of images) {
    // `ean13/blur/3` → ean13-blur/03.png (the folder's prefix is its format, as in the real corpus);
    // `none/stripes/2` → falsepositives-synthetic/stripes-02.png.
    const [format, defect, number] = image.name.split('/');
    const folder = image.format === null ? 'falsepositives-synthetic' : `${format}-${defect}`;
    const file = image.format === null ? `${defect}-${number?.padStart(2, '0')}` : (number ?? '').padStart(2, '0');
    mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, folder, `${file}.png`), encodeGreyPng(toRgba(image.image)));
    if (image.text !== null) writeFileSync(join(root, folder, `${file}.txt`), image.text);
  }
  return images.length;
}
