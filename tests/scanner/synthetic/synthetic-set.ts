/**
 * Synthetic barcode photos: every symbology the store scans, rendered with bwip-js and then given
 * one defect of real camera pictures at a time (and all of them mildly at once, `photo`), with
 * parameters drawn from a seeded generator so the set is the same on every run. Plus pictures with
 * no barcode at all, which must decode to nothing.
 *
 * The clean rendering is 4 px per module on paper; `photograph` maps it onto the output through one
 * projective map (scale to the wanted module width, tilt, rotation), then applies the photometric
 * defects in the order light meets them: contrast, glare, lens blur, sensor noise, JPEG.
 */
import bwipjs from 'bwip-js/node';
import { gtinCheckDigit, expandUpcE } from '../../../src/domain/gtin.ts';
import type { ScanFormat } from '../../../src/scanner/shared/formats.ts';
import { decodePng } from '../png.ts';
import { jpegRoundTrip } from './jpeg.ts';
import { addGlare, addNoise, blank, clip, compressContrast, fromRgba, gaussianBlur, homography, project, warp, type Luma, type Point } from './luma.ts';
import { Prng } from './prng.ts';

/** The defect classes; `clean` is the control, `photo` all defects at once, each mild. */
export const DEFECTS = ['clean', 'blur', 'noise', 'low-contrast', 'glare', 'rotation', 'perspective', 'jpeg', 'thin-bars', 'photo'] as const;
export type Defect = (typeof DEFECTS)[number];

/** Our format name and bwip-js's; ITF as the 14-digit carton code (with its bearer bars). */
export const SYNTHETIC_FORMATS: readonly { format: ScanFormat; bcid: string }[] = [
  { format: 'ean13', bcid: 'ean13' },
  { format: 'ean8', bcid: 'ean8' },
  { format: 'upca', bcid: 'upca' },
  { format: 'upce', bcid: 'upce' },
  { format: 'code128', bcid: 'code128' },
  { format: 'code39', bcid: 'code39' },
  { format: 'itf', bcid: 'itf14' },
];

export interface SyntheticImage {
  /** `ean13/blur/2`, `none/stripes/1`: the folder-like name used in messages and by the bench. */
  name: string;
  format: ScanFormat | null;
  defect: Defect | NoBarcodeKind;
  /** The text printed under the bars; null when there is no barcode. */
  text: string | null;
  image: Luma;
}

/** How a photograph was taken: the parameters each defect class draws at random. */
export interface Shot {
  /** Output pixels per module (narrow bar). */
  modulePx: number;
  /** Rotation in degrees. */
  angle: number;
  /** Perspective: the far edge is this fraction shorter than the near one (0 = square on). */
  tilt: number;
  tiltAxis: 'x' | 'y';
  /** Lens blur, Gaussian sigma in modules. */
  blurModules: number;
  /** Sensor noise, standard deviation in grey levels. */
  noise: number;
  /** Grey levels between black and white after the light (255 = full contrast), and their middle. */
  contrast: number;
  centre: number;
  /** A reflection on the code: centre as fractions of the code's width and height, radius in code widths. */
  glare: { x: number; y: number; radius: number; strength: number } | null;
  jpegQuality: number | null;
}

const SOURCE_MODULE_PX = 4;
const INK = 20;
const PAPER = 235;
/** The table around the paper. */
const TABLE = 90;
const MARGIN_MODULES = 10;

function digits(random: Prng, n: number, first = '0123456789'): string {
  let s = random.pick([...first]);
  while (s.length < n) s += String(random.below(10));
  return s;
}

/** A random valid code of the format, as printed. */
export function randomText(format: ScanFormat, random: Prng): string {
  const withCheck = (data: string): string => data + String(gtinCheckDigit(data));
  switch (format) {
    case 'ean13':
      // A leading 0 would be a UPC-A in EAN-13 clothing; the upca class covers those.
      return withCheck(digits(random, 12, '123456789'));
    case 'ean8':
      return withCheck(digits(random, 7));
    case 'upca':
      return withCheck(digits(random, 11));
    case 'upce': {
      const data = digits(random, 6);
      return `0${data}${(expandUpcE(data) ?? '').slice(-1)}`;
    }
    case 'code128': {
      const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789-./';
      return Array.from({ length: 6 + random.below(5) }, () => random.pick([...alphabet])).join('');
    }
    case 'code39': {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.';
      return Array.from({ length: 5 + random.below(4) }, () => random.pick([...alphabet])).join('');
    }
    case 'itf':
      return withCheck(digits(random, 13, '0123456789'));
    case 'qrcode':
      throw new Error('The synthetic set has linear codes only');
  }
}

/** The code rendered by bwip-js at 4 px per module, black on white, on a sheet of paper. */
export async function renderOnPaper(bcid: string, text: string): Promise<{ sheet: Luma; code: { x: number; y: number; width: number; height: number } }> {
  const png = await bwipjs.toBuffer({ bcid, text, scale: SOURCE_MODULE_PX, height: 15, includetext: true, backgroundcolor: 'FFFFFF' });
  const code = fromRgba(decodePng(png, `${bcid} ${text}`));
  const margin = MARGIN_MODULES * SOURCE_MODULE_PX;
  const sheet = blank(code.width + 2 * margin, code.height + 2 * margin, PAPER);
  for (let y = 0; y < code.height; y++) {
    for (let x = 0; x < code.width; x++) {
      const v = code.data[y * code.width + x] ?? 255;
      sheet.data[(y + margin) * sheet.width + x + margin] = INK + ((PAPER - INK) * v) / 255;
    }
  }
  return { sheet, code: { x: margin, y: margin, width: code.width, height: code.height } };
}

/** The sheet as the camera sees it with this shot's geometry and defects. */
export function photograph(sheet: Luma, code: { x: number; y: number; width: number; height: number }, shot: Shot, random: Prng): Luma {
  const k = shot.modulePx / SOURCE_MODULE_PX;
  const w = sheet.width * k;
  const h = sheet.height * k;
  // The sheet's corners, centred and scaled; the far edge shortened for the tilt; then rotated.
  const far = 1 - shot.tilt;
  const corners: Point[] =
    shot.tiltAxis === 'x'
      ? [[-w / 2, -h / 2], [w / 2, (-h / 2) * far], [w / 2, (h / 2) * far], [-w / 2, h / 2]]
      : [[-w / 2, -h / 2], [w / 2, -h / 2], [(w / 2) * far, h / 2], [(-w / 2) * far, h / 2]];
  const theta = (shot.angle * Math.PI) / 180;
  const turned = corners.map(([x, y]): Point => [x * Math.cos(theta) - y * Math.sin(theta), x * Math.sin(theta) + y * Math.cos(theta)]);
  const pad = 16;
  const minX = Math.min(...turned.map((p) => p[0]));
  const minY = Math.min(...turned.map((p) => p[1]));
  const placed = turned.map(([x, y]): Point => [x - minX + pad, y - minY + pad]);
  const width = Math.ceil(Math.max(...placed.map((p) => p[0])) + pad);
  const height = Math.ceil(Math.max(...placed.map((p) => p[1])) + pad);
  const sheetCorners: Point[] = [[0, 0], [sheet.width, 0], [sheet.width, sheet.height], [0, sheet.height]];
  const samples = Math.min(4, Math.max(1, Math.ceil(SOURCE_MODULE_PX / shot.modulePx)));
  let image = warp(sheet, width, height, homography(placed, sheetCorners), samples, TABLE);

  if (shot.contrast < 255) image = compressContrast(image, shot.contrast, shot.centre);
  if (shot.glare !== null) {
    const [gx, gy] = project(homography(sheetCorners, placed), code.x + shot.glare.x * code.width, code.y + shot.glare.y * code.height);
    image = addGlare(image, gx, gy, shot.glare.radius * code.width * k, shot.glare.strength);
  }
  if (shot.blurModules > 0) image = gaussianBlur(image, shot.blurModules * shot.modulePx);
  if (shot.noise > 0) image = addNoise(image, shot.noise, random);
  image = clip(image);
  if (shot.jpegQuality !== null) image = jpegRoundTrip(image, shot.jpegQuality);
  return image;
}

/** A shot with this defect class's one defect, drawn at random; everything else nearly perfect. */
export function shotFor(defect: Defect, random: Prng): Shot {
  const shot: Shot = {
    modulePx: random.between(2.5, 3.5),
    angle: random.between(-2, 2),
    tilt: 0,
    tiltAxis: 'x',
    blurModules: 0,
    noise: 0,
    contrast: 255,
    centre: 127.5,
    glare: null,
    jpegQuality: null,
  };
  switch (defect) {
    case 'clean':
      return shot;
    case 'blur':
      return { ...shot, blurModules: random.between(0.3, 0.8) };
    case 'noise':
      return { ...shot, noise: random.between(15, 45) };
    case 'low-contrast':
      return { ...shot, contrast: random.between(12, 40), centre: random.between(60, 190) };
    case 'glare':
      return { ...shot, glare: { x: random.between(0.2, 0.8), y: random.between(0.2, 0.6), radius: random.between(0.1, 0.25), strength: random.between(0.6, 0.95) } };
    case 'rotation':
      // Held at a slant, any way up: up to 30° off one of the four right angles.
      return { ...shot, angle: random.pick([0, 90, 180, 270]) + random.pick([-1, 1]) * random.between(5, 30) };
    case 'perspective':
      return { ...shot, tilt: random.between(0.15, 0.45), tiltAxis: random.pick(['x', 'y'] as const), angle: random.between(-5, 5) };
    case 'jpeg':
      return { ...shot, modulePx: random.between(2, 3), jpegQuality: random.between(10, 35) };
    case 'thin-bars':
      return { ...shot, modulePx: random.between(1, 2) };
    case 'photo':
      return {
        ...shot,
        modulePx: random.between(1.8, 3),
        angle: random.between(-10, 10),
        tilt: random.between(0, 0.15),
        tiltAxis: random.pick(['x', 'y'] as const),
        blurModules: random.between(0.2, 0.4),
        noise: random.between(4, 12),
        contrast: random.between(80, 160),
        centre: random.between(100, 160),
        jpegQuality: random.between(40, 75),
      };
  }
}

/** `perDefect` images of every format for every defect class, in a fixed order. */
export async function syntheticBarcodes(perDefect: number): Promise<SyntheticImage[]> {
  const images: SyntheticImage[] = [];
  for (const { format, bcid } of SYNTHETIC_FORMATS) {
    // One rendering per code, photographed once per defect class.
    for (let variant = 1; variant <= perDefect; variant++) {
      const text = randomText(format, Prng.of(`${format}/text/${variant}`));
      const { sheet, code } = await renderOnPaper(bcid, text);
      for (const defect of DEFECTS) {
        const name = `${format}/${defect}/${variant}`;
        const random = Prng.of(name);
        images.push({ name, format, defect, text, image: photograph(sheet, code, shotFor(defect, random), random) });
      }
    }
  }
  return images;
}

export const NO_BARCODE_KINDS = ['noise', 'text', 'stripes', 'grating', 'clutter'] as const;
export type NoBarcodeKind = (typeof NO_BARCODE_KINDS)[number];

/** Fill a rectangle (clipped to the image). */
function fillRect(image: Luma, x: number, y: number, w: number, h: number, value: number): void {
  for (let row = Math.max(0, Math.floor(y)); row < Math.min(image.height, Math.floor(y + h)); row++) {
    for (let col = Math.max(0, Math.floor(x)); col < Math.min(image.width, Math.floor(x + w)); col++) image.data[row * image.width + col] = value;
  }
}

/** A picture without any barcode, of a kind that gives a decoder edges to chew on. */
export function noBarcodePicture(kind: NoBarcodeKind, random: Prng): Luma {
  const width = 400;
  const height = 300;
  const image = blank(width, height, PAPER);
  switch (kind) {
    case 'noise':
      for (let i = 0; i < image.data.length; i++) image.data[i] = 128 + random.between(30, 60) * random.gaussian();
      break;
    case 'text': {
      // Lines of print: words of random 5 × 7 glyphs, one or two pixels per dot.
      const dot = random.pick([1, 2]);
      for (let y = 10; y + 7 * dot < height - 10; y += 10 * dot + random.below(4)) {
        for (let x = 10; x < width - 10; ) {
          const letters = 2 + random.below(8);
          for (let l = 0; l < letters && x + 5 * dot < width - 10; l++, x += 6 * dot) {
            for (let cell = 0; cell < 35; cell++) if (random.next() < 0.45) fillRect(image, x + (cell % 5) * dot, y + Math.floor(cell / 5) * dot, dot, dot, INK);
          }
          x += 4 * dot;
        }
      }
      break;
    }
    case 'stripes':
      // Bars and spaces of random widths, the whole height: a barcode's look without its structure.
      for (let x = 20, dark = true; x < width - 20; dark = !dark) {
        const w = 1 + random.below(random.pick([4, 6, 8]));
        if (dark) fillRect(image, x, 30, w, height - 60, INK);
        x += w;
      }
      break;
    case 'grating': {
      // Regular stripes, e.g. a grille, a shelf edge or a knitted pattern.
      const period = 2 + random.below(8);
      for (let x = 20; x < width - 20; x += period) fillRect(image, x, 30, Math.max(1, Math.floor(period / 2)), height - 60, INK);
      break;
    }
    case 'clutter':
      for (let i = 0; i < 300; i++) fillRect(image, random.below(width), random.below(height), 2 + random.below(40), 2 + random.below(40), 30 + random.below(191));
      break;
  }
  let picture = gaussianBlur(image, random.between(0, 1));
  picture = clip(addNoise(picture, random.between(0, 8), random));
  return random.next() < 0.5 ? jpegRoundTrip(picture, random.between(20, 80)) : picture;
}

/** `perKind` pictures of each kind without a barcode. */
export function noBarcodePictures(perKind: number): SyntheticImage[] {
  return NO_BARCODE_KINDS.flatMap((kind) =>
    Array.from({ length: perKind }, (_, i) => {
      const name = `none/${kind}/${i + 1}`;
      return { name, format: null, defect: kind, text: null, image: noBarcodePicture(kind, Prng.of(name)) };
    }),
  );
}
