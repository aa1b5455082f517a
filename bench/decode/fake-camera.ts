/**
 * Fake camera videos for Chromium (`--use-file-for-fake-video-capture=<file>.y4m`): a barcode
 * rendered with bwip-js, drawn into the luma plane of a YUV 4:2:0 stream. Used by the decode
 * benchmark and the camera end-to-end test.
 */
import { writeFileSync } from 'node:fs';
import bwipjs from 'bwip-js/node';

export interface FakeVideoOptions {
  width: number;
  height: number;
  fps?: number;
  /** bwip-js symbology id, e.g. 'ean13', 'upce', 'code128'. */
  bcid: string;
  text: string;
  /** Frames showing the barcode, then frames of plain paper; the file loops in Chromium. */
  framesWithCode: number;
  framesWithout?: number;
  /** Pixels per narrow bar. */
  moduleWidth?: number;
  /**
   * Behind the code: plain paper (default), or a busy scene of grey patches of every size (shelves,
   * packaging, print), where the decoder finds edges everywhere and works hardest for nothing.
   */
  background?: 'paper' | 'clutter';
}

/** A deterministic busy scene: grey rectangles from 2 to 40 px, from a fixed-seed generator. */
function clutter(width: number, height: number, paper: number): Uint8Array {
  const plane = new Uint8Array(width * height).fill(paper);
  let seed = 12345;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const patches = Math.round((width * height) / 400);
  for (let i = 0; i < patches; i++) {
    const w = 2 + next(39);
    const h = 2 + next(39);
    const x = next(width - w);
    const y = next(height - h);
    const grey = 30 + next(191);
    for (let row = y; row < y + h; row++) plane.fill(grey, row * width + x, row * width + x + w);
  }
  return plane;
}

/** Bar/space pattern of a linear symbol as one boolean per module (true = dark), quiet zones included. */
export function linearModules(bcid: string, text: string): boolean[] {
  const symbols = bwipjs.raw(bcid, text, {});
  const first = symbols[0];
  if (first === undefined || !('sbs' in first)) throw new Error(`${bcid} is not a linear symbology`);
  const quiet = 11;
  const modules: boolean[] = new Array<boolean>(quiet).fill(false);
  first.sbs.forEach((width: number, i: number) => {
    // sbs alternates bar, space, bar… starting with a bar.
    for (let k = 0; k < width; k++) modules.push(i % 2 === 0);
  });
  for (let k = 0; k < quiet; k++) modules.push(false);
  return modules;
}

/** Writes the Y4M file and returns its size in bytes. */
export function writeBarcodeY4m(path: string, options: FakeVideoOptions): number {
  const { width, height, bcid, text, framesWithCode } = options;
  const fps = options.fps ?? 15;
  const framesWithout = options.framesWithout ?? 0;
  const modules = linearModules(bcid, text);
  const moduleWidth = options.moduleWidth ?? Math.max(2, Math.floor((width * 0.6) / modules.length));
  const barWidth = modules.length * moduleWidth;
  if (barWidth > width) throw new Error(`The barcode (${barWidth}px) does not fit in ${width}px`);
  const left = Math.floor((width - barWidth) / 2);
  const barHeight = Math.floor(height * 0.4);
  const top = Math.floor((height - barHeight) / 2);

  // Paper is not pure white and ink not pure black on a real camera; stay inside video range.
  const paper = 200;
  const ink = 40;
  const blank = options.background === 'clutter' ? clutter(width, height, paper) : new Uint8Array(width * height).fill(paper);
  const coded = new Uint8Array(blank);
  for (let y = top; y < top + barHeight; y++) {
    for (let m = 0; m < modules.length; m++) {
      if (!modules[m]) continue;
      coded.fill(ink, y * width + left + m * moduleWidth, y * width + left + (m + 1) * moduleWidth);
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameHeader = Buffer.from('FRAME\n');
  const parts: Uint8Array[] = [header];
  for (let f = 0; f < framesWithCode + framesWithout; f++) {
    parts.push(frameHeader, f < framesWithCode ? coded : blank, chroma);
  }
  const file = Buffer.concat(parts);
  writeFileSync(path, file);
  return file.length;
}
