import { describe, expect, it } from 'vitest';
import { evenRect, lumaToRgba } from '../../src/scanner/shared/luma.ts';
import { decodeSize } from '../../src/scanner/decoder-bridge.ts';

describe('luma plane to grey RGBA', () => {
  it('copies a plane with a stride and offset into opaque grey pixels', () => {
    // 3×2 image in a plane with 2 bytes of padding per row, 1 byte of offset.
    const plane = Uint8Array.from([9, 10, 20, 30, 0, 0, 40, 50, 60, 0, 0]);
    const out = lumaToRgba(plane, 1, 5, 3, 2, 960);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect([...out.data.slice(0, 8)]).toEqual([10, 10, 10, 255, 20, 20, 20, 255]);
    expect([...out.data.slice(20, 24)]).toEqual([60, 60, 60, 255]);
  });

  it('scales down to maxWidth keeping the aspect ratio, bars stay bars', () => {
    // 1200 px wide: 6-px dark/light bars (a code with 6 px per module).
    const width = 1200;
    const height = 10;
    const plane = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) plane[y * width + x] = Math.floor(x / 6) % 2 === 0 ? 40 : 200;
    const out = lumaToRgba(plane, 0, width, width, height, 960);
    expect([out.width, out.height]).toEqual([960, 8]);
    // 4.8 px per bar after scaling: the middle of the first bar is still dark, of the second light.
    expect(out.data[2 * 4]).toBeLessThan(60);
    expect(out.data[7 * 4]).toBeGreaterThan(180);
  });

  it('reuses the output buffer when it has the right size', () => {
    const plane = new Uint8Array(16).fill(7);
    const first = lumaToRgba(plane, 0, 4, 4, 4, 960);
    const second = lumaToRgba(plane, 0, 4, 4, 4, 960, first.data);
    expect(second.data).toBe(first.data);
  });
});

describe('crop geometry', () => {
  it('aligns a crop to even pixels inside the frame (4:2:0 copyTo needs it)', () => {
    expect(evenRect(64, 144, 1152, 432, 1280, 720)).toEqual({ x: 64, y: 144, width: 1152, height: 432 });
    expect(evenRect(33, 97, 577, 289, 640, 480)).toEqual({ x: 32, y: 96, width: 578, height: 290 });
    expect(evenRect(639, 479, 5, 5, 640, 480)).toEqual({ x: 638, y: 478, width: 2, height: 2 });
  });

  it('scales frames wider than maxWidth down, never up', () => {
    expect(decodeSize(1152, 432, 960)).toEqual({ width: 960, height: 360 });
    expect(decodeSize(576, 288, 960)).toEqual({ width: 576, height: 288 });
    expect(decodeSize(1152, 432, Infinity)).toEqual({ width: 1152, height: 432 });
  });
});
