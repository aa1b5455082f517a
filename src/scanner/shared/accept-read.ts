import { assertNever } from '../../domain/assert-never.ts';
import { compressUpcA, isValidGtin, normalizeGtin } from '../../domain/gtin.ts';
import type { ScanFormat } from './formats.ts';

/** What a decoder engine saw, before we decide whether to trust it. */
export interface RawRead {
  text: string;
  format: ScanFormat;
  /** The UPC-E digits as printed, when the engine reports UPC-E expanded (zxing-cpp does). */
  printedUpcE?: string;
}

/** A read we trust: check digit verified, retail codes in their printed form and as a GTIN-14. */
export interface ScanRead {
  /** As printed under the bars: UPC-A 12 digits, UPC-E 8 digits, EAN-13 13 digits… */
  text: string;
  format: ScanFormat;
  /** The catalog key for retail codes (and ITF-14 cartons); null for Code 128/39, QR, short ITF. */
  gtin14: string | null;
}

/** The 12 UPC-A digits from a 12-digit or a 13-digit (leading 0, EAN-13 view) report. */
function upcADigits(text: string): string | null {
  if (/^\d{12}$/.test(text)) return text;
  if (/^0\d{12}$/.test(text)) return text.slice(1);
  return null;
}

/**
 * Accepts a read only when it can be checked: EAN/UPC (and 14-digit ITF) by their GTIN check digit.
 * A wrong product is worse than no product, so anything doubtful returns null and the camera
 * simply tries the next frame.
 */
export function acceptRead(raw: RawRead): ScanRead | null {
  const text = raw.text;
  switch (raw.format) {
    case 'ean13':
    case 'ean8': {
      const length = raw.format === 'ean13' ? 13 : 8;
      if (text.length !== length || !isValidGtin(text)) return null;
      return { text, format: raw.format, gtin14: text.padStart(14, '0') };
    }
    case 'upca': {
      const upcA = upcADigits(text);
      if (upcA === null || !isValidGtin(upcA)) return null;
      return { text: upcA, format: 'upca', gtin14: upcA.padStart(14, '0') };
    }
    case 'upce': {
      // Engines report UPC-E either as printed (8 digits) or expanded to UPC-A / EAN-13.
      const expanded = upcADigits(text);
      const printed = raw.printedUpcE ?? (/^[01]\d{7}$/.test(text) ? text : expanded === null ? null : compressUpcA(expanded));
      if (printed === null) return null;
      const gtin14 = normalizeGtin(printed, 'upc-e');
      if (gtin14 === null) return null;
      // When both forms are reported they must agree, or one of them is a misread.
      if (expanded !== null && expanded.padStart(14, '0') !== gtin14) return null;
      return { text: printed, format: 'upce', gtin14 };
    }
    case 'itf': {
      // ITF encodes digit pairs; ITF-14 carries a GTIN-14 with its check digit. Shorter ITF has
      // no check digit we could verify, so the decoder's own structure checks are all we have.
      if (!/^(\d\d)+$/.test(text)) return null;
      if (text.length === 14) return isValidGtin(text) ? { text, format: 'itf', gtin14: text } : null;
      return { text, format: 'itf', gtin14: null };
    }
    case 'code128':
    case 'code39':
    case 'qrcode':
      // Code 128 and QR carry mandatory checksums the decoder verifies; Code 39's is optional.
      return text.length > 0 ? { text, format: raw.format, gtin14: null } : null;
    default:
      return assertNever(raw.format, 'format');
  }
}

/** The value that identifies a read for comparisons and for `onDetected`. */
export function readKey(read: ScanRead): string {
  return read.gtin14 ?? `${read.format}:${read.text}`;
}

/**
 * The optional "two identical reads in a row" rule (a store setting): a read is confirmed once the
 * same code has been decoded `required` times without a different code in between.
 */
export class ReadConfirmer {
  private lastKey: string | null = null;
  private streak = 0;

  constructor(private readonly required: number) {
    if (!Number.isInteger(required) || required < 1) throw new Error('At least one read is required.');
  }

  /** Feed every accepted read; returns it while confirmed (repeats are the DuplicateSuppressor's job), else null. */
  offer(read: ScanRead): ScanRead | null {
    const key = readKey(read);
    this.streak = key === this.lastKey ? this.streak + 1 : 1;
    this.lastKey = key;
    return this.streak >= this.required ? read : null;
  }

  reset(): void {
    this.lastKey = null;
    this.streak = 0;
  }
}

/**
 * Ignores the same code while it stays in view: a code is let through again only after it has not
 * been seen for `intervalMs`. Time comes in as an argument so the rule is testable.
 */
export class DuplicateSuppressor {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** True when this sighting should count; records the sighting either way. */
  admit(key: string, nowMs: number): boolean {
    const previous = this.lastSeen.get(key);
    this.lastSeen.set(key, nowMs);
    for (const [other, seenAt] of this.lastSeen) {
      if (nowMs - seenAt >= this.intervalMs) this.lastSeen.delete(other);
    }
    return previous === undefined || nowMs - previous >= this.intervalMs;
  }

  /** Forget everything, e.g. after "undo last" so the same item can be scanned again at once. */
  clear(): void {
    this.lastSeen.clear();
  }
}
