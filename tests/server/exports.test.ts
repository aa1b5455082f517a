/**
 * Issue 15, item 4: the exports from the real server process (SQLite; PostgreSQL too when set up),
 * owner only, parsed back: the Xero journal split into parts that balance and add up to the
 * server's own trial balance, the same bytes as the domain makes from the pulled events, and headers
 * only for a range without entries.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { Books, type LedgerEvent } from '../../src/domain/index.ts';
import { buildExport, parseCsv, parseMinorUnits } from '../../src/domain/exports/index.ts';
import { SalesAnalytics } from '../../src/domain/sales-analytics.ts';
import { openingBalance, productsDefined, saleEvent } from './fixtures.ts';
import { api, enrollDevices, pullAllEvents, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines } from './storage-engines.ts';

const DAY = '2026-01-05';
const money = (text: string | undefined) => parseMinorUnits(text ?? '', 'EUR') ?? Number.NaN;

for (const engine of engines()) {
  describe(`exports on ${engine.name}`, () => {
    let server: RunningServer;
    let owner: EnrolledDevice;
    let till: EnrolledDevice;

    beforeEach(async () => {
      server = await startTestServer(engine.serverOptions());
      [owner, till] = (await enrollDevices(server, 2)) as [EnrolledDevice, EnrolledDevice];
      const push = (device: EnrolledDevice, events: LedgerEvent[]) => api(server.url, '/api/v1/sync/push', { token: device.token, json: { events } });
      const ids = { storeId: owner.storeId, deviceId: owner.deviceId };
      expect((await push(owner, [productsDefined({ ...ids, seq: 1, count: 2 }), openingBalance({ ...ids, seq: 2, lines: [{ productId: 'p-cat-0', qty: 500, unitCost: 100 }] })])).body).toMatchObject({ accepted: 2 });
      // 130 card sales, 5 journal lines each (card, revenue, tax, COGS, inventory): 650 + 2 lines.
      const sales = Array.from({ length: 130 }, (_, i) => saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: i + 1, productId: 'p-cat-0', unitPrice: 250 }));
      expect((await push(till, sales)).body).toMatchObject({ accepted: 130 });
    });
    afterEach(async () => {
      await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    const get = (device: EnrolledDevice, path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${device.token}` } });

    it('serves Xero parts that balance, add up to the trial balance, and equal the domain’s files', async () => {
      const first = await get(owner, `/api/v1/exports/journal-xero?from=${DAY}&to=${DAY}`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(first.headers.get('x-export-parts')).toBe('3');
      const books = Books.fromEvents((await pullAllEvents(server.url, owner.token)) as unknown as LedgerEvent[], { valuation: 'fifo' });
      const domain = buildExport('journal-xero', books, { from: DAY, to: DAY });
      if (!domain.ok) throw new Error(domain.error);
      const byCode = new Map<string, number>();
      for (const part of [1, 2, 3]) {
        const res = part === 1 ? first : await get(owner, `/api/v1/exports/journal-xero?from=${DAY}&to=${DAY}&part=${part}`);
        const text = await res.text();
        expect(res.headers.get('content-disposition')).toBe(`attachment; filename="journal-xero-${DAY}-to-${DAY}-part-${part}-of-3.csv"`);
        expect(text).toBe(domain.files[part - 1]?.text);
        const rows = parseCsv(text).slice(1).map((r) => r.fields);
        expect(rows.length).toBeLessThanOrEqual(300);
        expect(rows.reduce((s, r) => s + money(r[5]), 0)).toBe(0);
        for (const r of rows) byCode.set(r[3] ?? '', (byCode.get(r[3] ?? '') ?? 0) + money(r[5]));
      }
      const journal = (await api(server.url, '/api/v1/journal', { token: owner.token })).body as { trialBalance: { rows: { code: string; balance: number }[] } };
      expect(byCode).toEqual(new Map(journal.trialBalance.rows.map((r) => [r.code, r.balance])));
      // By hand: 130 sales of 2.50 incl. 20 % tax → card 325.00; COGS 130 × 1.00 = 130.00.
      expect(byCode.get('1100')).toBe(32_500);
      expect(byCode.get('5000')).toBe(13_000);
      expect((await get(owner, `/api/v1/exports/journal-xero?from=${DAY}&to=${DAY}&part=4`)).status).toBe(400);
    });

    it('serves the trial balance, sales, QuickBooks, catalog and stock as at a moment; an empty range is headers only', async () => {
      const tb = parseCsv(await (await get(owner, `/api/v1/exports/trial-balance?from=${DAY}&to=${DAY}`)).text()).slice(1).map((r) => r.fields);
      expect(tb.reduce((s, r) => s + money(r[5]), 0)).toBe(0);
      const days = parseCsv(await (await get(owner, `/api/v1/exports/sales-by-day?from=${DAY}&to=${DAY}`)).text()).slice(1).map((r) => r.fields);
      expect(days).toEqual([[DAY, '130', '0', '0', '325.00', '0.00', '325.00', '54.60', '270.40', '130.00', '140.40']]);
      const qbo = parseCsv(await (await get(owner, `/api/v1/exports/journal-quickbooks?from=${DAY}&to=${DAY}`)).text()).slice(1).map((r) => r.fields);
      expect(qbo.reduce((s, r) => s + (r[4] ? money(r[4]) : 0), 0)).toBe(qbo.reduce((s, r) => s + (r[5] ? money(r[5]) : 0), 0));
      const catalog = await (await get(owner, '/api/v1/exports/catalog')).text();
      expect(catalog.split('\r\n')[1]).toBe('Catalog product 0,CAT-0,INT0,2.00,1.00,20,each,,');
      // As at 09:01:00 Dublin (UTC in January): the opening 500 and the 60 sales of 09:00:01…09:01:00.
      const stock = await get(owner, `/api/v1/exports/stock-valuation?at=${DAY}T09:01:00`);
      expect(parseCsv(await stock.text()).slice(1).map((r) => r.fields)).toEqual([['Catalog product 0', 'CAT-0', 'Shop floor', '440', 'each', '1.00', '440.00']]);
      const empty = await get(owner, '/api/v1/exports/sales-by-product?from=2026-02-01&to=2026-02-28');
      expect(await empty.text()).toBe('Product,SKU,Unit,Sold,Returned,Net Quantity,Gross Sales,Refunds,Net Sales,Net Revenue\r\n');
    });

    it('serves the owner’s Today figures from the same domain code as the device', async () => {
      const res = await get(owner, `/api/v1/owner-figures?from=${DAY}&to=${DAY}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { sales: { sales: number; grossSales: number; cogs: number }; stockHealth: { totalValue: number }; topByRevenue: { productId: string; qty: number }[] };
      // By hand: 130 sales of 2.50 incl. tax, each costing 1.00; 500 − 130 = 370 left at 1.00.
      expect(body.sales).toMatchObject({ sales: 130, grossSales: 32_500, cogs: 13_000 });
      expect(body.stockHealth.totalValue).toBe(37_000);
      expect(body.topByRevenue).toMatchObject([{ productId: 'p-cat-0', qty: 130 }]);
      const books = Books.fromEvents((await pullAllEvents(server.url, owner.token)) as unknown as LedgerEvent[], { valuation: 'fifo' });
      expect(body.sales).toEqual(SalesAnalytics.fromBooks(books, books.storeSettings().timeZone, DAY).figures({ from: DAY, to: DAY }));
      expect((await get(till, `/api/v1/owner-figures?from=${DAY}&to=${DAY}`)).status).toBe(403);
      const backwards = await get(owner, '/api/v1/owner-figures?from=2026-02-01&to=2026-01-01');
      expect(backwards.status).toBe(400);
      expect(((await backwards.json()) as { error: string }).error).toMatch(/from=2026-01-01/);
    });

    it('refuses a staff device with a sentence, and bad requests with what to send', async () => {
      expect(till.role).toBe('staff');
      const refused = await get(till, `/api/v1/exports/journal-xero?from=${DAY}&to=${DAY}`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'Only the owner’s device can download exports: they show costs and the books. Ask the owner.' });
      const unknown = await get(owner, '/api/v1/exports/everything');
      expect(unknown.status).toBe(404);
      const noRange = await get(owner, '/api/v1/exports/sales-by-day');
      expect(noRange.status).toBe(400);
      expect(((await noRange.json()) as { error: string }).error).toMatch(/from=2026-01-01/);
    });
  });
}
