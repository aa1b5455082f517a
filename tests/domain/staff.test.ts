/**
 * Staff (issue 17): the permission table's rule (which events need a privilege), the roster of
 * members as defined at each event's place in ledger order, the refusal the till and the server
 * share, and the PIN lockout. Every expectation below is worked out by hand in its comment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, type EventBody, type LedgerEvent, type PinHash, type StaffMemberSnapshot, type StaffRole } from '../../src/domain/events.ts';
import { encodeHlc } from '../../src/domain/hlc.ts';
import {
  afterWrongPin,
  PIN_ATTEMPTS,
  PIN_LOCKOUT_MS,
  pinLockedUntil,
  privilegesNeeded,
  staffRefusal,
  StaffRoster,
  type PinAttempts,
} from '../../src/domain/staff.ts';
import { testUuidV7 } from '../server/fixtures.ts';

const PIN: PinHash = { algorithm: 'PBKDF2-SHA-256', iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: `${'A'.repeat(43)}=` };
const BASE = Date.UTC(2026, 2, 2, 9, 0, 0);
const LIMIT_10 = { discountApprovalPercent: 10 };

const seqs = new Map<string, number>();
/** An event of `deviceId` at BASE + `second` s, by `userId` (with `approvedBy`). */
function at(second: number, body: EventBody, options: { deviceId?: string; userId?: string; approvedBy?: string } = {}): LedgerEvent {
  const deviceId = options.deviceId ?? 'dev-owner';
  const seq = (seqs.get(deviceId) ?? 0) + 1;
  seqs.set(deviceId, seq);
  const wallMs = BASE + second * 1000;
  return {
    id: testUuidV7(wallMs, deviceId, seq),
    schema: EVENT_SCHEMA_VERSION,
    storeId: 'store-1',
    locationId: 'loc-1',
    deviceId,
    seq,
    hlc: encodeHlc({ wallMs, counter: 0, deviceId }),
    recordedAt: new Date(wallMs).toISOString(),
    userId: options.userId ?? 'owner',
    currency: 'EUR',
    ...(options.approvedBy === undefined ? {} : { approvedBy: options.approvedBy }),
    ...body,
  } as LedgerEvent;
}

const member = (id: string, name: string, role: StaffRole, active = true): StaffMemberSnapshot => ({ id, name, role, pin: PIN, active });
const defined = (second: number, m: StaffMemberSnapshot, deviceId = 'dev-owner') => at(second, { kind: 'staff-member-defined', member: m }, { deviceId, userId: 'owner' });

/**
 * A sale of one line at `unitPrice` less `discount`, at 20 % tax: included in the price (gross =
 * unitPrice − discount, tax = gross / 6) or added to it (net = unitPrice − discount, tax = net / 5).
 */
function saleBody(options: { unitPrice: number; discount?: number; pricesIncludeTax?: boolean; listPrice?: number }): EventBody {
  const discount = options.discount ?? 0;
  const includesTax = options.pricesIncludeTax ?? true;
  const after = options.unitPrice - discount;
  const tax = includesTax ? Math.round(after / 6) : Math.round(after / 5);
  const net = includesTax ? after - tax : after;
  const gross = net + tax;
  return {
    kind: 'sale',
    receiptNo: 'R-1',
    pricesIncludeTax: includesTax,
    lines: [
      {
        lineId: 'l1',
        productId: 'p1',
        sku: 'SKU-1',
        name: 'Tea',
        qty: 1,
        unit: 'each',
        unitPrice: options.unitPrice,
        lineDiscount: discount,
        cartDiscountShare: 0,
        taxRateBp: 2000,
        net,
        tax,
        gross,
        ...(options.listPrice === undefined ? {} : { listPrice: options.listPrice }),
      },
    ],
    totals: { net, tax, gross, discount },
    tenders: [{ method: 'card', amount: gross }],
    change: 0,
  };
}

const voidBody: EventBody = { kind: 'sale-voided', saleId: 'sale-1', reason: 'Wrong item' };

describe('privilegesNeeded', () => {
  it('a sale: a discount up to the limit is the cashier’s, above it needs discount-above-limit', () => {
    // Prices include tax: 1000 before discounts; 100 off is exactly 10 %, 101 off is 10.1 %.
    expect(privilegesNeeded(at(1, saleBody({ unitPrice: 1000, discount: 100 })), LIMIT_10)).toEqual([]);
    expect(privilegesNeeded(at(2, saleBody({ unitPrice: 1000, discount: 101 })), LIMIT_10)).toEqual(['discount-above-limit']);
    // No discount, and a limit of 100 % (never asked): nothing needed.
    expect(privilegesNeeded(at(3, saleBody({ unitPrice: 1000 })), { discountApprovalPercent: 0 })).toEqual([]);
    expect(privilegesNeeded(at(4, saleBody({ unitPrice: 1000, discount: 1000 })), { discountApprovalPercent: 100 })).toEqual([]);
    // A limit of 0 %: any discount at all needs it.
    expect(privilegesNeeded(at(5, saleBody({ unitPrice: 1000, discount: 1 })), { discountApprovalPercent: 0 })).toEqual(['discount-above-limit']);
  });

  it('a sale at net prices: the discount is measured against the net price before discounts, not the taxed total', () => {
    // 1000 net less 100 = 900 net, 180 tax, 1080 gross: 100 of 1000 is 10 %, allowed.
    expect(privilegesNeeded(at(1, saleBody({ unitPrice: 1000, discount: 100, pricesIncludeTax: false })), LIMIT_10)).toEqual([]);
    // 1000 net less 110 = 890 net, 178 tax, 1068 gross: 110 of 1000 is 11 %, above the limit (against
    // 1068 + 110 = 1178 it would read as 9.3 % and pass).
    expect(privilegesNeeded(at(2, saleBody({ unitPrice: 1000, discount: 110, pricesIncludeTax: false })), LIMIT_10)).toEqual(['discount-above-limit']);
  });

  it('a sale: a line whose price differs from its listPrice needs price-override; the same price does not', () => {
    expect(privilegesNeeded(at(1, saleBody({ unitPrice: 900, listPrice: 1000 })), LIMIT_10)).toEqual(['price-override']);
    expect(privilegesNeeded(at(2, saleBody({ unitPrice: 1100, listPrice: 1000 })), LIMIT_10)).toEqual(['price-override']);
    expect(privilegesNeeded(at(3, saleBody({ unitPrice: 1000, listPrice: 1000 })), LIMIT_10)).toEqual([]);
    // Both at once: 500 off a price overridden from 1000 to 900 is 55.6 %.
    expect(privilegesNeeded(at(4, saleBody({ unitPrice: 900, listPrice: 1000, discount: 500 })), LIMIT_10)).toEqual(['discount-above-limit', 'price-override']);
  });

  it('voids, refunds without a receipt, cash moves, counts and orders; a return against a sale does not', () => {
    expect(privilegesNeeded(at(1, voidBody), LIMIT_10)).toEqual(['void-sale']);
    const line = { productId: 'p1', qty: 1, refund: 600, tax: 100, disposition: 'restock' as const };
    expect(privilegesNeeded(at(2, { kind: 'return', managerApproved: false, refundMethod: 'cash', lines: [line] }), LIMIT_10)).toEqual(['refund-without-receipt']);
    expect(privilegesNeeded(at(3, { kind: 'return', saleId: 'sale-1', managerApproved: false, refundMethod: 'cash', lines: [line] }), LIMIT_10)).toEqual([]);
    expect(privilegesNeeded(at(4, { kind: 'cash-moved', shiftId: 's1', amount: -5000, reason: 'Drop to the safe' }), LIMIT_10)).toEqual(['move-cash']);
    expect(privilegesNeeded(at(5, { kind: 'count-session-approved', countSessionId: 'c1', lines: [] }), LIMIT_10)).toEqual(['approve-count']);
    const po = { kind: 'purchase-order-created' as const, purchaseOrderId: 'po-1', supplier: 'Supplier', expectedAt: '2026-03-09', lines: [{ productId: 'p1', qty: 10, unitCost: 400 }] };
    expect(privilegesNeeded(at(6, po), LIMIT_10)).toEqual(['create-purchase-order']);
    expect(privilegesNeeded(at(7, { kind: 'shift-opened', shiftId: 's1', float: 10000 }), LIMIT_10)).toEqual([]);
  });

  it('a shift closed with a difference from what the till expected; matching, or closed before issue 17, is the cashier’s', () => {
    expect(privilegesNeeded(at(1, { kind: 'shift-closed', shiftId: 's1', countedCash: 14950, expectedCash: 15000 }), LIMIT_10)).toEqual(['close-shift-with-difference']);
    expect(privilegesNeeded(at(2, { kind: 'shift-closed', shiftId: 's1', countedCash: 15000, expectedCash: 15000 }), LIMIT_10)).toEqual([]);
    expect(privilegesNeeded(at(3, { kind: 'shift-closed', shiftId: 's1', countedCash: 14950 }), LIMIT_10)).toEqual([]);
  });
});

describe('staffRefusal', () => {
  const manager = member('m-ann', 'Ann', 'manager');
  const supervisor = member('m-sue', 'Sue', 'supervisor');
  const cashier = member('m-cal', 'Cal', 'cashier');
  const roster = () => StaffRoster.fromEvents([defined(10, manager), defined(11, supervisor), defined(12, cashier)]);

  it('a store without staff refuses nothing, whoever recorded it', () => {
    expect(staffRefusal(at(100, voidBody, { userId: 'Till Tom' }), new StaffRoster(), LIMIT_10)).toBeUndefined();
  });

  it('an event stamped before the store’s first member definition is never refused (recorded under the old rules)', () => {
    expect(staffRefusal(at(5, voidBody, { userId: 'Till Tom', deviceId: 'dev-till' }), roster(), LIMIT_10)).toBeUndefined();
    // The same void after the first definition is refused.
    expect(staffRefusal(at(20, voidBody, { userId: 'Till Tom', deviceId: 'dev-till' }), roster(), LIMIT_10)).toBe(
      'Voiding a sale needs a supervisor’s approval, and “Till Tom”, who is not one of the store’s staff, recorded it without one.',
    );
  });

  it('a cashier’s void: refused without an approver, accepted with a supervisor’s; a supervisor’s own void needs none', () => {
    expect(staffRefusal(at(20, voidBody, { userId: cashier.id }), roster(), LIMIT_10)).toBe('Voiding a sale needs a supervisor’s approval, and Cal (cashier) recorded it without one.');
    expect(staffRefusal(at(21, voidBody, { userId: cashier.id, approvedBy: supervisor.id }), roster(), LIMIT_10)).toBeUndefined();
    expect(staffRefusal(at(22, voidBody, { userId: supervisor.id }), roster(), LIMIT_10)).toBeUndefined();
    // A cashier's sale within the limit needs nobody.
    expect(staffRefusal(at(23, saleBody({ unitPrice: 1000, discount: 100 }), { userId: cashier.id }), roster(), LIMIT_10)).toBeUndefined();
  });

  it('refuses an approver who is the member themself, unknown, inactive, or below the privilege', () => {
    expect(staffRefusal(at(20, voidBody, { userId: cashier.id, approvedBy: cashier.id }), roster(), LIMIT_10)).toBe(
      'Voiding a sale: the approver m-cal is not another of the store’s staff members.',
    );
    expect(staffRefusal(at(21, voidBody, { userId: cashier.id, approvedBy: 'm-nobody' }), roster(), LIMIT_10)).toBe(
      'Voiding a sale: the approver m-nobody is not another of the store’s staff members.',
    );
    const withSueGone = StaffRoster.fromEvents([defined(10, manager), defined(11, supervisor), defined(12, cashier), defined(13, { ...supervisor, active: false })]);
    expect(staffRefusal(at(22, voidBody, { userId: cashier.id, approvedBy: supervisor.id }), withSueGone, LIMIT_10)).toBe(
      'Voiding a sale: the approver Sue was not an active staff member.',
    );
    const approveCount: EventBody = { kind: 'count-session-approved', countSessionId: 'c1', lines: [] };
    expect(staffRefusal(at(23, approveCount, { userId: cashier.id, approvedBy: supervisor.id }), roster(), LIMIT_10)).toBe(
      'Approving a stock count needs a manager’s approval; Sue is a supervisor.',
    );
    expect(staffRefusal(at(24, approveCount, { userId: cashier.id }), roster(), LIMIT_10)).toBe('Approving a stock count needs a manager’s approval, and Cal (cashier) recorded it without one.');
    expect(staffRefusal(at(25, approveCount, { userId: cashier.id, approvedBy: manager.id }), roster(), LIMIT_10)).toBeUndefined();
    expect(staffRefusal(at(26, approveCount, { userId: manager.id }), roster(), LIMIT_10)).toBeUndefined();
  });

  it('an inactive member needs an approver even for what their role allows', () => {
    const r = StaffRoster.fromEvents([defined(10, manager), defined(11, supervisor), defined(12, { ...supervisor, id: 'm-old', name: 'Olga', active: false })]);
    expect(staffRefusal(at(20, voidBody, { userId: 'm-old' }), r, LIMIT_10)).toBe('Voiding a sale needs a supervisor’s approval, and Olga (supervisor) recorded it without one.');
  });

  it('judges by the members as defined at the event’s place: a later promotion does not change the answer', () => {
    const events = [defined(10, manager), defined(12, cashier)];
    const voidAt20 = at(20, voidBody, { userId: cashier.id });
    const before = StaffRoster.fromEvents(events);
    const promoted = StaffRoster.fromEvents([...events, defined(30, { ...cashier, role: 'supervisor' })]);
    expect(promoted.member(cashier.id)?.role).toBe('supervisor');
    expect(promoted.memberAt(cashier.id, voidAt20)?.role).toBe('cashier');
    expect(staffRefusal(voidAt20, promoted, LIMIT_10)).toBe(staffRefusal(voidAt20, before, LIMIT_10));
    expect(staffRefusal(voidAt20, promoted, LIMIT_10)).toMatch(/^Voiding a sale needs a supervisor’s approval/);
    // After the promotion, the same void by the same member is theirs to do.
    expect(staffRefusal(at(40, voidBody, { userId: cashier.id }), promoted, LIMIT_10)).toBeUndefined();
    // A member not yet defined at the event's place is nobody there.
    expect(promoted.memberAt(cashier.id, at(11, voidBody))).toBeUndefined();
  });

  it('a price override and a discount above the limit by a cashier, with a supervisor’s approval: accepted; a discount exactly at the limit needs none', () => {
    const both = saleBody({ unitPrice: 900, listPrice: 1000, discount: 500 });
    expect(staffRefusal(at(20, both, { userId: cashier.id }), roster(), LIMIT_10)).toBe(
      'A discount above the store’s limit and changing a price at the till needs a supervisor’s approval, and Cal (cashier) recorded it without one.',
    );
    expect(staffRefusal(at(21, both, { userId: cashier.id, approvedBy: supervisor.id }), roster(), LIMIT_10)).toBeUndefined();
  });
});

describe('StaffRoster', () => {
  it('keeps per member the definition latest in ledger order, lists by name, and copies with more events without changing itself', () => {
    const ann = member('m-ann', 'Ann', 'manager');
    const r = StaffRoster.fromEvents([defined(30, { ...ann, name: 'Anne' }), defined(10, ann), defined(20, member('m-bob', 'Bob', 'cashier'))]);
    expect(r.hasStaff).toBe(true);
    expect(r.staffSince).toBe(encodeHlc({ wallMs: BASE + 10_000, counter: 0, deviceId: 'dev-owner' }));
    expect(r.members().map((m) => m.name)).toEqual(['Anne', 'Bob']);
    const more = r.with([defined(40, { ...member('m-bob', 'Bob', 'cashier'), active: false }), defined(41, member('m-cy', 'Cy', 'supervisor'))]);
    expect(more.activeMembers().map((m) => m.name)).toEqual(['Anne', 'Cy']);
    expect(r.activeMembers().map((m) => m.name)).toEqual(['Anne', 'Bob']);
    expect(new StaffRoster().hasStaff).toBe(false);
    expect(new StaffRoster().staffSince).toBeUndefined();
  });
});

describe('StaffRoster in any arrival order (property)', () => {
  const ids = ['m-0', 'm-1', 'm-2'];
  const names = ['Ann', 'ann', 'Bob'];
  const roles: StaffRole[] = ['cashier', 'supervisor', 'manager'];
  const definitionSpec = fc.record({
    second: fc.integer({ min: 0, max: 30 }),
    device: fc.constantFrom('dev-owner', 'dev-office'),
    member: fc.integer({ min: 0, max: 2 }),
    name: fc.constantFrom(...names),
    role: fc.constantFrom(...roles),
    active: fc.boolean(),
  });
  const querySpec = fc.record({
    second: fc.integer({ min: 0, max: 35 }),
    user: fc.constantFrom(...ids, 'Till Tom'),
    approver: fc.option(fc.constantFrom(...ids, 'm-x'), { nil: undefined }),
    kind: fc.constantFrom('void', 'count', 'sale'),
  });

  it('gives the same members, memberAt and staffRefusal answers whatever order (and however often) the definitions arrive', () => {
    fc.assert(
      fc.property(
        fc.array(definitionSpec, { minLength: 1, maxLength: 8 }),
        fc.array(querySpec, { minLength: 1, maxLength: 6 }),
        fc.infiniteStream(fc.nat()),
        (specs, queries, randoms) => {
          const definitions = specs.map((s) => defined(s.second, member(ids[s.member]!, s.name, s.role, s.active), s.device));
          const probes = queries.map((q) =>
            at(
              q.second,
              q.kind === 'void' ? voidBody : q.kind === 'count' ? { kind: 'count-session-approved', countSessionId: 'c1', lines: [] } : saleBody({ unitPrice: 1000, discount: 300 }),
              { deviceId: 'dev-till', userId: q.user, ...(q.approver === undefined ? {} : { approvedBy: q.approver }) },
            ),
          );
          const answers = (roster: StaffRoster) => ({
            members: roster.members(),
            since: roster.staffSince,
            at: probes.map((p) => ids.map((id) => roster.memberAt(id, p))),
            refusals: probes.map((p) => staffRefusal(p, roster, LIMIT_10)),
          });
          const inOrder = answers(StaffRoster.fromEvents(definitions));
          // Another arrival order, with some events arriving twice (a retried sync).
          const shuffled = [...definitions];
          const it = randoms[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i -= 1) {
            const j = (it.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const again = shuffled.filter(() => (it.next().value as number) % 3 === 0);
          expect(answers(StaffRoster.fromEvents([...shuffled, ...again]))).toEqual(inOrder);
          expect(answers(new StaffRoster().with([...again, ...shuffled]))).toEqual(inOrder);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('PIN lockout', () => {
  const T = 1_800_000_000_000;
  const wrongPins = (n: number, from: number): PinAttempts | undefined => {
    let attempts: PinAttempts | undefined;
    for (let i = 0; i < n; i += 1) attempts = afterWrongPin(attempts, from + i * 1000);
    return attempts;
  };

  it('four wrong PINs leave the member free to try; the fifth locks them for 60 s from it', () => {
    expect(PIN_ATTEMPTS).toBe(5);
    expect(PIN_LOCKOUT_MS).toBe(60_000);
    expect(pinLockedUntil(undefined, T)).toBeUndefined();
    const four = wrongPins(4, T);
    expect(four).toEqual({ failures: 4, lastFailureAt: T + 3000 });
    expect(pinLockedUntil(four, T + 3000)).toBeUndefined();
    const five = afterWrongPin(four, T + 4000);
    expect(five).toEqual({ failures: 5, lastFailureAt: T + 4000 });
    expect(pinLockedUntil(five, T + 4000)).toBe(T + 64_000);
    expect(pinLockedUntil(five, T + 63_999)).toBe(T + 64_000);
    // At the very millisecond the lockout ends, they may try again.
    expect(pinLockedUntil(five, T + 64_000)).toBeUndefined();
  });

  it('a wrong PIN after the lockout ran out starts the count again at 1; one during it extends it', () => {
    const five = wrongPins(5, T)!;
    expect(afterWrongPin(five, T + 64_000)).toEqual({ failures: 1, lastFailureAt: T + 64_000 });
    expect(pinLockedUntil(afterWrongPin(five, T + 64_000), T + 64_000)).toBeUndefined();
    const sixth = afterWrongPin(five, T + 10_000);
    expect(sixth).toEqual({ failures: 6, lastFailureAt: T + 10_000 });
    expect(pinLockedUntil(sixth, T + 69_999)).toBe(T + 70_000);
  });
});
