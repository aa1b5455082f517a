/**
 * Issue 15, item 4: the exports parsed back. Hand-computed figures on a small day; on random
 * histories, the Xero and QuickBooks journals balance, add up per account to the trial balance, the
 * trial balance closes at the books' balances, and sales by day add up to the range's sales summary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS } from '../../src/domain/accounts.ts';
import { Books } from '../../src/domain/index.ts';
import { trialBalance } from '../../src/domain/journal.ts';
import { asAtInstantOf, buildExport, businessDateOf, instantOf, parseCsv, parseMinorUnits, type CsvFile, type ExportName } from '../../src/domain/exports/index.ts';
import { salesCostsOf, salesSummary } from '../../src/domain/sales-summary.ts';
import { Device } from './support/event-factory.ts';
import { history } from './support/histories.ts';

const money = (text: string | undefined) => parseMinorUnits(text ?? '', 'EUR') ?? Number.NaN;
const rows = (file: CsvFile) => parseCsv(file.text).slice(1).map((r) => r.fields);
const files = (name: ExportName, books: Books, from: string, to: string): CsvFile[] => {
  const result = buildExport(name, books, { from, to });
  if (!result.ok) throw new Error(result.error);
  return result.files;
};
const only = (name: ExportName, books: Books, from: string, to: string): CsvFile => files(name, books, from, to)[0] as CsvFile;

// 1_700_000_000_000 is 2023-11-14T22:13:20Z, the same day in Dublin (UTC in November).
const DAY = '2023-11-14';

function smallDay(): Books {
  const device = new Device('dev-1', 'A');
  const product = device.product('p', 200);
  const opening = device.opening([{ productId: 'p', qty: 10, unitCost: 200 }]);
  const sale = device.sale([{ productId: 'p', qty: 2 }]);
  const returned = device.returnGoods([{ productId: 'p', qty: 1, saleLineId: 'line-1' }], { saleId: sale.id });
  return Books.fromEvents([product, opening, sale, returned], { valuation: 'fifo' });
}

describe('the exports, by hand', () => {
  /**
   * Opening 10 @ 2.00: Dr 1200 Inventory 20.00, Cr 3000 Opening equity 20.00.
   * Sale 2 × 10.00 + 20 % tax, cash: Dr 1000 Cash 24.00, Cr 4000 Revenue 20.00, Cr 2200 Tax 4.00,
   *   Dr 5000 COGS 4.00, Cr 1200 Inventory 4.00.
   * Return 1 for 12.00 incl. 2.00 tax, restocked: Dr 4100 Returns 10.00, Dr 2200 Tax 2.00,
   *   Cr 1000 Cash 12.00; Dr 1200 Inventory 2.00, Cr 5000 COGS 2.00.
   */
  it('writes Xero, QuickBooks and the trial balance with these amounts', () => {
    const books = smallDay();
    const xero = files('journal-xero', books, DAY, DAY);
    expect(xero).toHaveLength(1);
    expect(parseCsv(xero[0]?.text ?? '')[0]?.fields).toEqual(['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount']);
    expect(rows(xero[0] as CsvFile).map((r) => [r[1], r[3], r[5]])).toEqual([
      ['14/11/2023', '1200', '20.00'],
      ['14/11/2023', '3000', '-20.00'],
      ['14/11/2023', '1000', '24.00'],
      ['14/11/2023', '1200', '-4.00'],
      ['14/11/2023', '2200', '-4.00'],
      ['14/11/2023', '4000', '-20.00'],
      ['14/11/2023', '5000', '4.00'],
      ['14/11/2023', '1000', '-12.00'],
      ['14/11/2023', '1200', '2.00'],
      ['14/11/2023', '2200', '2.00'],
      ['14/11/2023', '4100', '10.00'],
      ['14/11/2023', '5000', '-2.00'],
    ]);
    const qbo = rows(only('journal-quickbooks', books, DAY, DAY));
    expect(qbo.map((r) => [r[0], r[2], r[4], r[5]])).toEqual([
      ['1', 'Inventory', '20.00', ''],
      ['1', 'Opening balance equity', '', '20.00'],
      ['2', 'Cash', '24.00', ''],
      ['2', 'Inventory', '', '4.00'],
      ['2', 'Sales tax payable', '', '4.00'],
      ['2', 'Revenue', '', '20.00'],
      ['2', 'Cost of goods sold', '4.00', ''],
      ['3', 'Cash', '', '12.00'],
      ['3', 'Inventory', '2.00', ''],
      ['3', 'Sales tax payable', '2.00', ''],
      ['3', 'Returns', '10.00', ''],
      ['3', 'Cost of goods sold', '', '2.00'],
    ]);
    expect(rows(only('trial-balance', books, DAY, DAY))).toEqual([
      ['1000', 'Cash', '0.00', '24.00', '12.00', '12.00'],
      ['1200', 'Inventory', '0.00', '22.00', '4.00', '18.00'],
      ['2200', 'Sales tax payable', '0.00', '2.00', '4.00', '-2.00'],
      ['3000', 'Opening balance equity', '0.00', '0.00', '20.00', '-20.00'],
      ['4000', 'Revenue', '0.00', '0.00', '20.00', '-20.00'],
      ['4100', 'Returns', '0.00', '10.00', '0.00', '10.00'],
      ['5000', 'Cost of goods sold', '0.00', '4.00', '2.00', '2.00'],
    ]);
    // Sold 2 (24.00), returned 1 (12.00): net 12.00; net revenue 20.00 − 10.00 = 10.00; COGS 4 − 2 = 2.00.
    expect(rows(only('sales-by-day', books, DAY, DAY))).toEqual([[DAY, '1', '0', '1', '24.00', '12.00', '12.00', '2.00', '10.00', '2.00', '8.00']]);
    expect(rows(only('sales-by-product', books, DAY, DAY))).toEqual([['Product p', 'SKU-p', 'each', '2', '1', '1', '24.00', '12.00', '12.00', '10.00']]);
  });

  it('gives headers only for a range without entries, and refuses a range that ends before it starts', () => {
    const books = smallDay();
    for (const name of ['journal-xero', 'journal-quickbooks', 'trial-balance', 'sales-by-day', 'sales-by-product'] as const) {
      const [file, ...more] = files(name, books, '2023-11-15', '2023-11-30');
      expect(more).toEqual([]);
      expect(parseCsv(file?.text ?? '')).toHaveLength(1);
      expect(file?.rows).toBe(0);
    }
    expect(buildExport('sales-by-day', books, { from: '2023-11-30', to: '2023-11-01' })).toEqual({ ok: false, error: 'The range ends (2023-11-01) before it starts (2023-11-30): swap the dates.' });
    expect(buildExport('stock-valuation', books, { at: 'yesterday' }).ok).toBe(false);
  });

  it('values stock as at a date-time in the store’s time zone', () => {
    const books = smallDay();
    const at = (when: string) => {
      const result = buildExport('stock-valuation', books, { at: when });
      return result.ok ? rows(result.files[0] as CsvFile) : result.error;
    };
    // The opening is at 22:13:22 Dublin time (UTC in November), the sale a second later.
    expect(at('2023-11-14T22:13:22')).toEqual([['Product p', 'SKU-p', 'A', '10', 'each', '2.00', '20.00']]);
    expect(at('2023-11-14T22:13:23Z')).toEqual([['Product p', 'SKU-p', 'A', '8', 'each', '2.00', '16.00']]);
    expect(at('2023-11-14T22:13:21')).toEqual([]);
  });

  it('splits Xero files at 300 lines, each journal whole in one file', () => {
    const device = new Device('dev-1', 'A');
    const events = [device.product('p', 200), device.opening([{ productId: 'p', qty: 1000, unitCost: 200 }])];
    // Each sale posts 5 lines (cash, revenue, tax, COGS, inventory): 130 sales are 650 + 2 lines.
    for (let i = 0; i < 130; i++) events.push(device.sale([{ productId: 'p', qty: 1 }], { at: 1_700_000_000_000 + i * 100 }));
    const books = Books.fromEvents(events, { valuation: 'fifo' });
    const xero = files('journal-xero', books, DAY, DAY);
    expect(xero.map((f) => f.rows)).toEqual([297, 300, 55]);
    expect(xero.map((f) => f.filename)).toEqual([1, 2, 3].map((n) => `journal-xero-${DAY}-to-${DAY}-part-${n}-of-3.csv`));
    const narrationsByFile = xero.map((f) => new Set(rows(f).map((r) => r[0])));
    for (const [i, names] of narrationsByFile.entries()) {
      for (const [j, other] of narrationsByFile.entries()) if (i !== j) for (const name of names) expect(other.has(name)).toBe(false);
    }
  });
});

describe('dates of the exports (store in Europe/Dublin)', () => {
  const zone = 'Europe/Dublin';
  it('reads a wall time in the store’s zone, summer and winter, and a clock change', () => {
    expect(instantOf('2026-01-15T12:00', zone)).toBe(Date.UTC(2026, 0, 15, 12, 0));
    expect(instantOf('2026-07-01T12:00', zone)).toBe(Date.UTC(2026, 6, 1, 11, 0));
    expect(instantOf('2026-07-01T12:00:00+02:00', zone)).toBe(Date.UTC(2026, 6, 1, 10, 0));
    // 01:30 on 25 October 2026 happens twice (IST, then GMT): the first.
    expect(instantOf('2026-10-25T01:30', zone)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(instantOf('31/01/2026', zone)).toBeUndefined();
  });

  it('takes "as at" through the end of the minute, second or day named', () => {
    expect(asAtInstantOf('2026-07-01T12:00', zone)).toBe(Date.UTC(2026, 6, 1, 11, 0, 59, 999));
    expect(asAtInstantOf('2026-07-01T12:00:10', zone)).toBe(Date.UTC(2026, 6, 1, 11, 0, 10, 999));
    expect(asAtInstantOf('2026-07-01', zone)).toBe(Date.UTC(2026, 6, 1, 22, 59, 59, 999));
    expect(asAtInstantOf('2026-01-01', zone)).toBe(Date.UTC(2026, 0, 1, 23, 59, 59, 999));
  });

  it('dates an event by its recordedAt in the store’s zone', () => {
    expect(businessDateOf('2026-07-01T23:30:00Z', zone)).toBe('2026-07-02');
    expect(businessDateOf('2026-01-01T23:30:00Z', zone)).toBe('2026-01-01');
  });
});

describe('the exports, on random histories', () => {
  it('balance, add up to the trial balance and to the sales summary', () => {
    fc.assert(
      fc.property(history, (events) => {
        const books = Books.fromEvents(events, { valuation: 'fifo' });
        const [from, to] = ['2023-11-01', '2023-11-30'];
        const byCode = new Map<string, number>();
        for (const file of files('journal-xero', books, from, to)) {
          expect(file.rows).toBeLessThanOrEqual(300);
          const perJournal = new Map<string, number>();
          for (const r of rows(file)) {
            perJournal.set(`${r[0]}|${r[1]}`, (perJournal.get(`${r[0]}|${r[1]}`) ?? 0) + money(r[5]));
            byCode.set(r[3] ?? '', (byCode.get(r[3] ?? '') ?? 0) + money(r[5]));
          }
          for (const sum of perJournal.values()) expect(sum).toBe(0);
        }
        const expected = new Map(trialBalance(books).rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
        expect(new Map([...byCode].filter(([, v]) => v !== 0))).toEqual(expected);
        const qbo = rows(only('journal-quickbooks', books, from, to));
        expect(qbo.reduce((s, r) => s + (r[4] ? money(r[4]) : 0), 0)).toBe(qbo.reduce((s, r) => s + (r[5] ? money(r[5]) : 0), 0));
        const tb = rows(only('trial-balance', books, from, to));
        expect(new Map(tb.filter((r) => money(r[5]) !== 0).map((r) => [r[0], money(r[5])]))).toEqual(expected);
        expect(tb.reduce((s, r) => s + money(r[3]) - money(r[4]), 0)).toBe(0);
        const summary = salesSummary(events, salesCostsOf(books));
        const days = rows(only('sales-by-day', books, from, to));
        expect(days.reduce((s, r) => s + money(r[6]), 0)).toBe(summary.netSales);
        expect(days.reduce((s, r) => s + money(r[8]), 0)).toBe(summary.netRevenue);
        const products = rows(only('sales-by-product', books, from, to));
        expect(products.reduce((s, r) => s + money(r[8]), 0)).toBe(summary.netSales);
        expect(products.reduce((s, r) => s + money(r[9]), 0)).toBe(summary.netRevenue);
        expect(Object.values(ACCOUNTS).length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
