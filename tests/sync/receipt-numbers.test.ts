/**
 * Receipt numbers are gap-free per device (issue 14, item 5): the real sale command's body, recorded
 * through the device's one writer (src/db/ledger-writer.ts) on the app's Dexie database
 * (fake-indexeddb). Whatever else the device records between sales — voids, returns, cash moves,
 * deliveries, a sale that fails to write, a restart — its sales are numbered 1, 2, 3, … in order.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountOff } from '../../src/domain/cart.ts';
import { completeSale, receiptNumber, saleByReceiptNo, type CommandContext, type Recordable } from '../../src/app/commands/index.ts';
import { Books } from '../../src/domain/books/index.ts';
import type { EventBody, EventOf, LedgerEvent } from '../../src/domain/events.ts';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { ledgerWriterOf, positionFromLedger } from '../../src/db/ledger-writer.ts';
import { saleEvent } from '../server/fixtures.ts';

const ME = 'dev-receipts-9dbb';
const context: RecordingContext = { storeId: 'store-r', locationId: 'loc-floor', deviceId: ME, userId: 'cashier', currency: 'EUR' };
let counter = 0;

async function freshDb(): Promise<PerpetuaDb> {
  counter += 1;
  const db = openDb(`perpetua-receipts-${process.pid}-${counter}`);
  await db.open();
  return db;
}

const commandContext: CommandContext = {
  books: null,
  role: 'staff',
  deviceId: ME,
  storeId: context.storeId,
  locationId: context.locationId,
  settings: { currency: 'EUR', pricesIncludeTax: true, cashStep: 1 },
  locations: [],
  catalog: { get: () => undefined, byCode: () => undefined },
  now: Date.UTC(2026, 0, 5, 9),
  newId: () => 'unused',
};

/** The sale command's own body: a function of the receipt counter, as the Sell screen records it. */
function saleOfTea(qty = 1): Recordable {
  const result = completeSale.run(
    {
      cart: { lines: [{ lineId: 'l1', productId: 'p-tea', sku: 'TEA', name: 'Tea', unit: 'each', unitPrice: 250, taxRateBp: 2000, qty, lineDiscount: amountOff(0) }], cartDiscount: amountOff(0) },
      withoutShift: true,
      payment: [{ method: 'cash', amount: 250 * qty }],
    },
    commandContext,
  );
  if (!result.ok || result.bodies.length !== 1 || !result.bodies[0]) throw new Error(`the sale was refused: ${JSON.stringify(result)}`);
  return result.bodies[0];
}

const ownSales = async (db: PerpetuaDb): Promise<EventOf<'sale'>[]> =>
  (await db.events.where('[deviceId+seq]').between([ME, -Infinity], [ME, Infinity]).toArray()).filter((e): e is EventOf<'sale'> => e.kind === 'sale');

type Step = 'sale' | 'void' | 'return' | 'cash-moved' | 'goods-received' | 'failed-sale' | 'restart';

const OTHER: Record<Exclude<Step, 'sale' | 'void' | 'failed-sale' | 'restart'>, EventBody> = {
  return: { kind: 'return', managerApproved: false, refundMethod: 'cash', lines: [{ productId: 'p-tea', qty: 1, refund: 250, tax: 42, disposition: 'restock' }] },
  'cash-moved': { kind: 'cash-moved', shiftId: 'shift-1', amount: -500, reason: 'To the safe' },
  'goods-received': { kind: 'goods-received', supplier: 'Tea Co', reference: 'DN-1', lines: [{ productId: 'p-tea', qty: 6, unitCost: 100 }] },
};

describe('receipt numbers', () => {
  it('number a device’s sales 1, 2, 3 … whatever else it records between them (the sequence number left 1, 3, 6)', async () => {
    const db = await freshDb();
    await recordEvent(db, context, saleOfTea());
    await recordEvent(db, context, OTHER['cash-moved']);
    await recordEvent(db, context, saleOfTea());
    await recordEvent(db, context, OTHER['goods-received']);
    await recordEvent(db, context, OTHER.return);
    const third = await recordEvent(db, context, saleOfTea());
    expect(third.seq).toBe(6);
    expect((await ownSales(db)).map((s) => s.receiptNo)).toEqual(['9DBB-1', '9DBB-2', '9DBB-3']);
    db.close();
  });

  it('property: any sequence of sales, voids, returns, other events, failed writes and restarts gives receipts 1..n', async () => {
    const step = fc.constantFrom<Step>('sale', 'sale', 'void', 'return', 'cash-moved', 'goods-received', 'failed-sale', 'restart');
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const db = await freshDb();
        for (const s of steps) {
          if (s === 'sale') await recordEvent(db, context, saleOfTea());
          else if (s === 'restart') await ledgerWriterOf(db, ME).restoreFromLedger();
          else if (s === 'failed-sale') {
            // The sale's body is made (a number taken) but the event is refused: no number is used.
            const made = saleOfTea();
            const broken: Recordable = (n) => ({ ...(typeof made === 'function' ? made(n) : made), lines: [] }) as EventBody;
            await expect(recordEvent(db, context, broken)).rejects.toThrow(/could not be recorded/);
          } else if (s === 'void') {
            const [latest] = (await ownSales(db)).slice(-1);
            if (latest) await recordEvent(db, context, { kind: 'sale-voided', saleId: latest.id, reason: 'Wrong item' });
          } else await recordEvent(db, context, OTHER[s]);
        }
        const sales = await ownSales(db);
        // A voided sale keeps its number: every sale is counted, in the order recorded.
        expect(sales.map((sale) => sale.receiptNo)).toEqual(sales.map((_, i) => receiptNumber(ME, i + 1)));
        expect((await positionFromLedger(db, ME)).nextReceipt).toBe(sales.length + 1);
        db.close();
      }),
      { numRuns: 30 },
    );
  });

  it('an exchange’s sale takes the next number like any sale', async () => {
    const db = await freshDb();
    await recordEvent(db, context, saleOfTea());
    await recordEvent(db, context, OTHER.return);
    const exchanged = await recordEvent(db, context, saleOfTea(2));
    expect(exchanged.kind === 'sale' && exchanged.receiptNo).toBe('9DBB-2');
    db.close();
  });

  it('a device that sold under the old numbering goes on after its highest receipt, and old receipts are still found', async () => {
    const db = await freshDb();
    // Receipts 9DBB-1, -2, -4 made from the sequence number (seq 3 was some other event).
    const old: LedgerEvent[] = [1, 2, 4].map((seq) => ({ ...saleEvent({ storeId: context.storeId, deviceId: ME, seq }), receiptNo: receiptNumber(ME, seq) }) as LedgerEvent);
    await db.events.bulkAdd(old);
    await ledgerWriterOf(db, ME).restoreFromLedger();
    const next = await recordEvent(db, context, saleOfTea());
    expect(next.kind === 'sale' && next.receiptNo).toBe('9DBB-5');
    const books = Books.fromEvents(await db.events.toArray(), { valuation: 'fifo' });
    for (const number of ['9DBB-1', '9DBB-2', '9DBB-4', '9DBB-5']) expect(saleByReceiptNo(books, number)?.receiptNo).toBe(number);
    db.close();
  });
});
