import { describe, expect, it } from 'vitest';
import { acceptRead, DuplicateSuppressor, ReadConfirmer, readKey, type ScanRead } from '../../src/scanner/shared/accept-read.ts';
import { formatOfFolder } from '../../src/scanner/shared/formats.ts';
import { cropRectangle } from '../../src/scanner/decoder-bridge.ts';

describe('acceptRead: only reads whose check digit is right', () => {
  it('accepts a valid EAN-13 and EAN-8 with their GTIN-14', () => {
    expect(acceptRead({ text: '4006381333931', format: 'ean13' })).toEqual({ text: '4006381333931', format: 'ean13', gtin14: '04006381333931' });
    expect(acceptRead({ text: '96385074', format: 'ean8' })).toEqual({ text: '96385074', format: 'ean8', gtin14: '00000096385074' });
  });

  it('rejects a wrong check digit or a wrong length', () => {
    expect(acceptRead({ text: '4006381333932', format: 'ean13' })).toBeNull();
    expect(acceptRead({ text: '96385075', format: 'ean8' })).toBeNull();
    expect(acceptRead({ text: '96385074', format: 'ean13' })).toBeNull();
  });

  it('reports UPC-A in its 12 printed digits, whether the engine gives 12 or 13', () => {
    const expected = { text: '036000291452', format: 'upca', gtin14: '00036000291452' };
    expect(acceptRead({ text: '036000291452', format: 'upca' })).toEqual(expected);
    expect(acceptRead({ text: '0036000291452', format: 'upca' })).toEqual(expected);
    expect(acceptRead({ text: '1036000291452', format: 'upca' })).toBeNull();
    expect(acceptRead({ text: '036000291453', format: 'upca' })).toBeNull();
  });

  it('reports UPC-E in its 8 printed digits, from the printed form, the expansion, or both', () => {
    const expected = { text: '04252614', format: 'upce', gtin14: '00042100005264' };
    expect(acceptRead({ text: '04252614', format: 'upce' })).toEqual(expected);
    // zxing-cpp: text expanded to 13 digits, printed form in `extra`.
    expect(acceptRead({ text: '0042100005264', format: 'upce', printedUpcE: '04252614' })).toEqual(expected);
    expect(acceptRead({ text: '0042100005264', format: 'upce' })).toEqual(expected);
  });

  it('rejects a UPC-E whose printed and expanded forms disagree', () => {
    expect(acceptRead({ text: '0042100005264', format: 'upce', printedUpcE: '01234565' })).toBeNull();
    expect(acceptRead({ text: '04252615', format: 'upce' })).toBeNull();
  });

  it('checks ITF-14 like a GTIN and keeps shorter ITF as text', () => {
    expect(acceptRead({ text: '00012345678905', format: 'itf' })).toEqual({ text: '00012345678905', format: 'itf', gtin14: '00012345678905' });
    expect(acceptRead({ text: '00012345678906', format: 'itf' })).toBeNull();
    expect(acceptRead({ text: '0829220875', format: 'itf' })).toEqual({ text: '0829220875', format: 'itf', gtin14: null });
    expect(acceptRead({ text: '082922087', format: 'itf' })).toBeNull();
  });

  it('passes Code 128, Code 39 and QR through, but not empty', () => {
    expect(acceptRead({ text: ' WWW.CITRONSOFT.COM ', format: 'code39' })?.text).toBe(' WWW.CITRONSOFT.COM ');
    expect(acceptRead({ text: '', format: 'code128' })).toBeNull();
  });
});

describe('readKey', () => {
  it('is the GTIN-14 for retail codes and format:text otherwise', () => {
    expect(readKey({ text: '04252614', format: 'upce', gtin14: '00042100005264' })).toBe('00042100005264');
    expect(readKey({ text: 'ABC', format: 'code39', gtin14: null })).toBe('code39:ABC');
  });
});

const read = (text: string): ScanRead => ({ text, format: 'ean13', gtin14: text.padStart(14, '0') });

describe('ReadConfirmer (two identical reads in a row)', () => {
  it('passes every read when one read is enough', () => {
    const confirmer = new ReadConfirmer(1);
    expect(confirmer.offer(read('4006381333931'))).not.toBeNull();
    expect(confirmer.offer(read('4006381333931'))).not.toBeNull();
  });

  it('needs the same code twice in a row, and a different code restarts the count', () => {
    const confirmer = new ReadConfirmer(2);
    expect(confirmer.offer(read('4006381333931'))).toBeNull();
    expect(confirmer.offer(read('6291041500213'))).toBeNull();
    expect(confirmer.offer(read('4006381333931'))).toBeNull();
    expect(confirmer.offer(read('4006381333931'))?.text).toBe('4006381333931');
    // Held in view it stays confirmed; the DuplicateSuppressor keeps it from counting twice.
    expect(confirmer.offer(read('4006381333931'))?.text).toBe('4006381333931');
    confirmer.reset();
    expect(confirmer.offer(read('4006381333931'))).toBeNull();
  });

  it('refuses a nonsensical setting', () => {
    expect(() => new ReadConfirmer(0)).toThrow();
  });
});

describe('DuplicateSuppressor (debounce)', () => {
  it('ignores the same code while it stays in view and lets it through after a pause', () => {
    const suppressor = new DuplicateSuppressor(1500);
    expect(suppressor.admit('A', 0)).toBe(true);
    expect(suppressor.admit('A', 500)).toBe(false);
    expect(suppressor.admit('A', 1900)).toBe(false); // still in view: last seen 500 → 1900
    expect(suppressor.admit('A', 3400)).toBe(true); // unseen for 1500 ms
  });

  it('lets a different code through at once', () => {
    const suppressor = new DuplicateSuppressor(1500);
    expect(suppressor.admit('A', 0)).toBe(true);
    expect(suppressor.admit('B', 10)).toBe(true);
    expect(suppressor.admit('A', 20)).toBe(false);
  });

  it('forgets everything on clear (after "undo last")', () => {
    const suppressor = new DuplicateSuppressor(1500);
    expect(suppressor.admit('A', 0)).toBe(true);
    suppressor.clear();
    expect(suppressor.admit('A', 10)).toBe(true);
  });
});

describe('formatOfFolder', () => {
  it('takes the format from the folder prefix, none for false positives', () => {
    expect(formatOfFolder('upce-2')).toBe('upce');
    expect(formatOfFolder('qrcode-7')).toBe('qrcode');
    expect(formatOfFolder('falsepositives-2')).toBeNull();
  });
});

describe('cropRectangle', () => {
  it('crops the middle band of a 640×480 frame', () => {
    expect(cropRectangle(640, 480, { x: 0.05, y: 0.2, width: 0.9, height: 0.6 })).toEqual({ sx: 32, sy: 96, sw: 576, sh: 288 });
  });
  it('clamps a region that leaves the frame and never returns an empty rectangle', () => {
    expect(cropRectangle(640, 480, { x: 0.9, y: -0.5, width: 0.5, height: 2 })).toEqual({ sx: 576, sy: 0, sw: 64, sh: 480 });
    expect(cropRectangle(640, 480, { x: 1, y: 1, width: 0, height: 0 })).toEqual({ sx: 640, sy: 480, sw: 1, sh: 1 });
  });
});
