import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src/scanner/keyboard-wedge.ts';

function feed(detector: WedgeDetector, text: string, start: number, gap: number): number {
  let t = start;
  for (const char of text) {
    detector.character(char, t);
    t += gap;
  }
  return t;
}

describe('keyboard-wedge detection', () => {
  it('takes a fast burst ended by Enter as a scan', () => {
    const d = new WedgeDetector();
    const end = feed(d, '4006381333931', 1000, 8);
    expect(d.enter(end)).toBe('4006381333931');
  });
  it('ignores human typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, '4006381333931', 1000, 120);
    expect(d.enter(end)).toBeNull();
  });
  it('ignores short fast bursts (key repeat, a quick word)', () => {
    const d = new WedgeDetector();
    const end = feed(d, 'ok', 0, 5);
    expect(d.enter(end)).toBeNull();
  });
  it('a slow start followed by a scan still yields only the scanned code', () => {
    const d = new WedgeDetector();
    let t = feed(d, 'milk', 0, 150);
    t += 500;
    t = feed(d, '96385074', t, 5);
    expect(d.enter(t)).toBe('96385074');
  });
  it('tolerates one key delivered late by a busy device', () => {
    const d = new WedgeDetector();
    let t = feed(d, '400', 0, 10);
    t += 95;
    t = feed(d, '6381333931', t, 10);
    expect(d.enter(t)).toBe('4006381333931');
  });
  it('separates a scan from typing just before it', () => {
    const d = new WedgeDetector();
    let t = feed(d, 'cof', 0, 90);
    t = feed(d, '96385074', t, 5);
    expect(d.enter(t)).toBe('96385074');
  });
  it('fast typists are still typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, 'spaghetti', 0, 70);
    expect(d.enter(end)).toBeNull();
  });
  it('a pause before Enter means typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, '96385074', 0, 5);
    expect(d.enter(end + 400)).toBeNull();
  });
});
