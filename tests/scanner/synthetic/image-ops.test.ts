/**
 * The synthetic photo generator's building blocks do what their names say, so a decoder result on
 * the synthetic set means what the test claims (a blur that did not blur would test nothing).
 */
import { describe, expect, it } from 'vitest';
import { acceptRead } from '../../../src/scanner/shared/accept-read.ts';
import { decodePng, encodeGreyPng } from '../png.ts';
import { jpegRoundTrip } from './jpeg.ts';
import { blank, gaussianBlur, homography, project, toRgba, warp, type Luma, type Point } from './luma.ts';
import { Prng } from './prng.ts';
import { randomText, SYNTHETIC_FORMATS } from './synthetic-set.ts';

/** A vertical edge: black left half, white right half. */
function edge(width: number, height: number): Luma {
  const image = blank(width, height, 255);
  for (let y = 0; y < height; y++) image.data.fill(0, y * width, y * width + width / 2);
  return image;
}

const maxDifference = (a: Luma, b: Luma): number => a.data.reduce((max, v, i) => Math.max(max, Math.abs(v - (b.data[i] ?? 0))), 0);

describe('synthetic photo building blocks', () => {
  it('the generator repeats itself for the same seed and differs for another', () => {
    const draw = (name: string): number[] => Array.from({ length: 5 }, ((random) => () => random.next())(Prng.of(name)));
    expect(draw('ean13/blur/1')).toEqual(draw('ean13/blur/1'));
    expect(draw('ean13/blur/1')).not.toEqual(draw('ean13/blur/2'));
    expect(draw('x').every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('a homography maps the four corners it was made from', () => {
    const from: Point[] = [[0, 0], [100, 0], [100, 50], [0, 50]];
    const to: Point[] = [[10, 5], [90, 12], [85, 60], [15, 48]];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const [x, y] = project(h, p[0], p[1]);
      expect(x).toBeCloseTo(to[i]?.[0] ?? NaN, 9);
      expect(y).toBeCloseTo(to[i]?.[1] ?? NaN, 9);
    });
  });

  it('warping with the identity keeps the image; blur softens an edge but keeps flat areas', () => {
    const image = edge(16, 4);
    const corners: Point[] = [[0, 0], [16, 0], [16, 4], [0, 4]];
    expect(maxDifference(warp(image, 16, 4, homography(corners, corners), 1, 0), image)).toBeLessThan(1e-6);
    const blurred = gaussianBlur(image, 1.5);
    expect(blurred.data[7]).toBeGreaterThan(20);
    expect(blurred.data[0]).toBeCloseTo(0, 3);
    expect(blurred.data[15]).toBeCloseTo(255, 3);
  });

  it('JPEG at quality 100 changes nothing but rounding; at quality 10 it rings around an edge, keeps flat areas flat', () => {
    const image = edge(24, 16);
    image.data[3] = 77; // not a multiple of anything the quantiser likes
    expect(maxDifference(jpegRoundTrip(image, 100), image)).toBeLessThanOrEqual(1);
    expect(maxDifference(jpegRoundTrip(image, 10), image)).toBeGreaterThan(10);
    const flat = jpegRoundTrip(blank(24, 16, 200), 10);
    expect(Math.max(...flat.data) - Math.min(...flat.data)).toBe(0);
  });

  it('a grey PNG written for the benchmark reads back the same pixels', () => {
    const image = toRgba(edge(13, 5));
    expect(decodePng(encodeGreyPng(image), 'round trip')).toEqual(image);
  });

  it('every random code is one the app accepts', () => {
    for (const { format } of SYNTHETIC_FORMATS) {
      for (let i = 0; i < 20; i++) {
        const text = randomText(format, Prng.of(`${format}/${i}`));
        expect(acceptRead({ text, format }), `${format} ${text}`).not.toBeNull();
      }
    }
  });
});
