/**
 * Supervisor approval on the spot (issue 17), in the one place events are recorded: AppContext.record
 * on a real AppContext (fake-indexeddb). An event above the signed-in member's role is recorded only
 * with an approver (`approvedBy`); nobody approving records nothing and says why.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppContext, PermissionError, type AppContext, type ApprovalRequest } from '../../src/ui/app-context.ts';
import { hashPin } from '../../src/ui/staff/pin-hash.ts';
import { completeSale } from '../../src/app/commands/sale.ts';
import { addToCart, emptyCart, priceCart, setLinePrice } from '../../src/domain/cart.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import type { EventOf, StaffMemberSnapshot, StaffRole } from '../../src/domain/events.ts';
import { MIN_PIN_ITERATIONS } from '../../src/domain/staff.ts';
import { uuidv7 } from '../../src/db/ids.ts';

const opened: AppContext[] = [];
let counter = 0;

afterEach(async () => {
  for (const app of opened.splice(0)) await app.db.delete();
});

async function till(): Promise<AppContext> {
  const app = await openAppContext(`record-approval-${process.pid}-${++counter}`);
  opened.push(app);
  void app.loadCatalog();
  await app.buildProjection();
  return app;
}

async function member(id: string, name: string, role: StaffRole): Promise<StaffMemberSnapshot> {
  return { id, name, role, pin: await hashPin('1357', MIN_PIN_ITERATIONS), active: true };
}

/** A store whose staff are a manager (who defines the others), a cashier and a supervisor. */
async function staffedTill() {
  const app = await till();
  const [max, ana, sue] = [await member(uuidv7(), 'Max', 'manager'), await member(uuidv7(), 'Ana', 'cashier'), await member(uuidv7(), 'Sue', 'supervisor')];
  await app.record({ kind: 'staff-member-defined', member: max });
  app.actor = max;
  for (const m of [ana, sue]) await app.record({ kind: 'staff-member-defined', member: m });
  return { app, max, ana, sue };
}

const cashIn = { kind: 'cash-moved' as const, shiftId: 's-1', amount: 100, reason: 'Change from the bank' };
const count = async (app: AppContext, kind: string) => (await app.db.events.toArray()).filter((e) => e.kind === kind).length;

describe('AppContext.record asks for a supervisor when the member’s role lacks a privilege', () => {
  it('records the approver on the envelope, and nothing when nobody approves', async () => {
    const { app, ana, sue } = await staffedTill();
    app.actor = ana;
    // No approval dialog on this device: refused with the reason, nothing recorded.
    await expect(app.record(cashIn)).rejects.toThrow(new PermissionError('Moving cash in or out of the drawer needs a supervisor’s approval: ask one to enter their PIN.'));
    const asked: ApprovalRequest[] = [];
    app.requestApproval = async (request) => {
      asked.push(request);
      return null;
    };
    await expect(app.record(cashIn)).rejects.toBeInstanceOf(PermissionError);
    expect(asked).toEqual([{ privileges: ['move-cash'], summary: 'Put €1.00 into the drawer: Change from the bank' }]);
    expect(await count(app, 'cash-moved')).toBe(0);

    app.requestApproval = async () => sue.id;
    const approved = await app.record(cashIn);
    expect(approved).toMatchObject({ kind: 'cash-moved', userId: ana.id, approvedBy: sue.id });
    expect((await app.db.events.get(approved.id))?.approvedBy).toBe(sue.id);
  });

  it('asks nothing of a member whose role allows it, nor on a store without staff', async () => {
    const { app, sue } = await staffedTill();
    app.actor = sue;
    app.requestApproval = async () => {
      throw new Error('a supervisor was asked to approve their own cash move');
    };
    const event = await app.record(cashIn);
    expect(event).toMatchObject({ userId: sue.id });
    expect(event).not.toHaveProperty('approvedBy');

    const plain = await till();
    plain.requestApproval = async () => {
      throw new Error('a store without staff asked for approval');
    };
    expect(await plain.record({ kind: 'sale-voided', saleId: uuidv7(), reason: 'Wrong item' })).not.toHaveProperty('approvedBy');
  });

  it('a sale with a changed price is approved before its receipt number is taken', async () => {
    const { app, ana, sue } = await staffedTill();
    app.actor = ana;
    const asked: ApprovalRequest[] = [];
    app.requestApproval = async (request) => {
      asked.push(request);
      return asked.length === 1 ? null : sue.id;
    };
    const product = DEMO_PRODUCTS.find((p) => p.unit === 'each')!;
    const cart = setLinePrice(addToCart(emptyCart, product, 1, 'l1'), 'l1', product.price - 10);
    if (!cart.ok) throw new Error(cart.error);
    const gross = priceCart(cart.value, app.settings.pricesIncludeTax).totals.gross;
    const sell = () => {
      const result = completeSale.run({ cart: cart.value, payment: [{ method: 'card', amount: gross }], withoutShift: true }, app.commandContext());
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return app.record(result.bodies[0]!);
    };
    await expect(sell()).rejects.toThrow('Changing a price at the till needs a supervisor’s approval: ask one to enter their PIN.');
    const sale = (await sell()) as EventOf<'sale'>;
    expect(asked.map((r) => r.privileges)).toEqual([['price-override'], ['price-override']]);
    expect(asked[0]?.summary).toContain(`${product.name} at`);
    expect(sale).toMatchObject({ userId: ana.id, approvedBy: sue.id, lines: [{ unitPrice: product.price - 10, listPrice: product.price }] });
    // The refused attempt took no receipt number: this is the device's first sale.
    expect(sale.receiptNo).toMatch(/-1$/);
  });
});
