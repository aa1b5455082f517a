/**
 * CSV for the exports: writing (RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes
 * doubled; lines end with CRLF) and reading back (quoted fields may hold commas, quotes and line
 * breaks; each record keeps the line it starts on, for error messages). No CSV library is among the
 * project's dependencies, and this is all the exports need.
 *
 * Money is written once, from integer minor units, as a decimal string ("-12.05"): no floating point.
 */
import { currencyDigits } from '../money.ts';

export interface CsvFile {
  /** The file name a download should get, e.g. "journal-xero-2026-01-01-to-2026-01-31-part-1.csv". */
  filename: string;
  text: string;
  /** Data rows (not counting the header). */
  rows: number;
}

export type CsvField = string | number;

function quote(field: CsvField): string {
  const text = String(field);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header and rows as CSV text, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((row) => `${row.map(quote).join(',')}\r\n`).join('');
}

export interface CsvRecord {
  /** The line of the file the record starts on (1 is the header). */
  line: number;
  fields: string[];
}

/** Reads CSV text into records; blank lines are skipped; a byte-order mark is ignored. */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.replace(/^\uFEFF/, '');
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (char === '\r' && input[i + 1] === '\n') {
      // The \n ends the record.
    } else if (char === '\n') {
      endRecord();
      line++;
      start = line;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Minor units as a decimal string in major units, exact: 1205 → "12.05", -5 → "-0.05", JPY 1205 →
 * "1205". No thousands separator, a point for the decimals: what accounting imports read.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${amount} is not a whole number of minor units`);
  const digits = currencyDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const magnitude = String(Math.abs(amount)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${magnitude}`;
  return `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
}

/** A decimal string in major units back to minor units, exact ("−12.05" → −1205); undefined if not one. */
export function parseMinorUnits(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > digits) return undefined;
  const value = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return sign === '-' ? -value : value;
}

/** A tax rate in basis points as a percentage: 2000 → "20", 1950 → "19.5", 25 → "0.25". */
export function formatPercentBp(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const fraction = String(Math.abs(bp % 100)).padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
