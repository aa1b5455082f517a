/**
 * The push under the store's staff rules (issue 17), against the real server on SQLite and
 * PostgreSQL: an event a member's role does not allow, with no approver who may, is refused with
 * the rule's sentence (422, nothing of the batch stored); a store without staff, and a ledger
 * from before issue 17, sync exactly as before.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventBody, type LedgerEvent, type PinHash, type StaffMemberSnapshot } from '../../src/domain/index.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { eventOf, saleEvent, testUuidV7 } from './fixtures.ts';
import { api, enrollDevices, pullAllEvents, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines } from './storage-engines.ts';

const PIN: PinHash = { algorithm: 'PBKDF2-SHA-256', iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: `${'A'.repeat(43)}=` };
const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);

/** An event of `device` number `seq` at BASE + `second` s, keys in the schema's order (as stored). */
function event(device: EnrolledDevice, seq: number, second: number, userId: string, body: EventBody, approvedBy?: string): LedgerEvent {
  return eventOf(device, seq, BASE + second * 1000, userId, body, { idSalt: `${device.deviceId}-staff`, ...(approvedBy === undefined ? {} : { approvedBy }) });
}

const ANN: StaffMemberSnapshot = { id: testUuidV7(BASE, 'member', 1), name: 'Ann', role: 'manager', pin: PIN, active: true };
const CAL: StaffMemberSnapshot = { id: testUuidV7(BASE, 'member', 2), name: 'Cal', role: 'cashier', pin: PIN, active: true };
const voidOf = (saleId: string): EventBody => ({ kind: 'sale-voided', saleId, reason: 'Rang up the wrong item' });

for (const engine of engines()) {
  describe(`push under the staff rules on ${engine.name}`, () => {
    let server: RunningServer;
    let owner: EnrolledDevice;
    let till: EnrolledDevice;

    beforeEach(async () => {
      server = await startTestServer({ ...engine.serverOptions() });
      [owner, till] = (await enrollDevices(server, 2)) as [EnrolledDevice, EnrolledDevice];
    });
    afterEach(async () => {
      await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    const push = (device: EnrolledDevice, events: unknown[]) => api(server.url, '/api/v1/sync/push', { token: device.token, json: { events } });
    const defineStaff = () => [
      event(owner, 1, 10, 'Owner', { kind: 'staff-member-defined', member: ANN }),
      event(owner, 2, 11, ANN.id, { kind: 'staff-member-defined', member: CAL }),
    ];

    it('a cashier’s void without an approver is refused with the rule’s sentence; with the manager as approver it is accepted', async () => {
      expect((await push(owner, defineStaff())).body).toMatchObject({ accepted: 2, rejected: 0 });
      const sale = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, wallMs: BASE + 20_000 });
      expect((await push(till, [{ ...sale, userId: CAL.id }])).body).toMatchObject({ accepted: 1 });
      const stored = await pullAllEvents(server.url, owner.token);

      const unapproved = event(till, 2, 30, CAL.id, voidOf(sale.id));
      const refused = await push(till, [unapproved]);
      expect(refused).toMatchObject({
        status: 422,
        body: {
          error: '1 of 1 events are invalid; nothing from this batch was stored. Set the listed events aside and resend the others.',
          rejected: [{ index: 0, id: unapproved.id, reason: 'sale-voided: Voiding a sale needs a supervisor’s approval, and Cal (cashier) recorded it without one.' }],
        },
      });
      expect(await pullAllEvents(server.url, owner.token)).toEqual(stored);

      // The cashier herself as approver is no approval either.
      const selfApproved = event(till, 2, 30, CAL.id, voidOf(sale.id), CAL.id);
      expect(await push(till, [selfApproved])).toMatchObject({ status: 422, body: { rejected: [{ index: 0, reason: expect.stringMatching(/the approver .* is not another of the store’s staff members/) }] } });

      const approved = event(till, 2, 30, CAL.id, voidOf(sale.id), ANN.id);
      expect(await push(till, [approved])).toMatchObject({ status: 200, body: { accepted: 1, rejected: 0 } });
      expect(await pullAllEvents(server.url, owner.token)).toEqual([...stored, approved]);
    });

    it('judges a batch with the staff defined earlier in it: the owner defines itself as manager and voids in one push', async () => {
      const sale = saleEvent({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, wallMs: BASE + 5_000 });
      const [ann, cal] = [
        event(owner, 2, 10, 'Owner', { kind: 'staff-member-defined', member: ANN }),
        event(owner, 3, 11, ANN.id, { kind: 'staff-member-defined', member: CAL }),
      ] as [LedgerEvent, LedgerEvent];
      const annVoids = event(owner, 4, 12, ANN.id, voidOf(sale.id));
      // Cal's void in the same batch is judged by Cal's role as defined in it: refused, and with it the batch.
      const calVoids = event(owner, 5, 13, CAL.id, voidOf(sale.id));
      const mixed = await push(owner, [sale, ann, cal, annVoids, calVoids]);
      expect(mixed).toMatchObject({ status: 422, body: { rejected: [{ index: 4, id: calVoids.id, reason: 'sale-voided: Voiding a sale needs a supervisor’s approval, and Cal (cashier) recorded it without one.' }] } });
      expect((mixed.body as { rejected: unknown[] }).rejected).toHaveLength(1);
      expect(await pullAllEvents(server.url, owner.token)).toEqual([]);

      expect(await push(owner, [sale, ann, cal, annVoids])).toMatchObject({ status: 200, body: { accepted: 4, rejected: 0 } });
      expect((await pullAllEvents(server.url, till.token)).map((e) => e.id)).toEqual([sale, ann, cal, annVoids].map((e) => e.id));
    });

    it('a store without staff members: a staff device’s void, named by its cashier text, is accepted as before', async () => {
      const sale = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1 });
      const voided = event(till, 2, 7200, 'Till Tom', voidOf(sale.id));
      expect(await push(till, [sale, voided])).toMatchObject({ status: 200, body: { accepted: 2, rejected: 0 } });
      expect(await pullAllEvents(server.url, owner.token)).toEqual([sale, voided]);
    });

    it('the store’s discount limit, changed in the same batch, decides whether a cashier’s discount needs approval', async () => {
      expect((await push(owner, defineStaff())).body).toMatchObject({ accepted: 2 });
      // 1000 before discounts, 150 off: 15 %, above the default 10 % limit.
      const discounted = (device: EnrolledDevice, seq: number, second: number): LedgerEvent => {
        const sale = saleEvent({ storeId: device.storeId, deviceId: device.deviceId, seq, wallMs: BASE + second * 1000, unitPrice: 1000 });
        if (sale.kind !== 'sale') throw new Error('a sale');
        const gross = 850;
        const tax = Math.round(gross / 6);
        const line = { ...sale.lines[0]!, lineDiscount: 150, net: gross - tax, tax, gross };
        return { ...sale, userId: CAL.id, lines: [line], totals: { net: gross - tax, tax, gross, discount: 150 }, tenders: [{ method: 'card', amount: gross }] };
      };
      const atTill = discounted(till, 1, 40);
      expect(await push(till, [atTill])).toMatchObject({
        status: 422,
        body: { rejected: [{ index: 0, reason: 'sale: A discount above the store’s limit needs a supervisor’s approval, and Cal (cashier) recorded it without one.' }] },
      });
      // Cal sells at the owner's device, in the batch that raises the limit to 20 %: accepted.
      const limit20 = event(owner, 3, 30, ANN.id, { kind: 'store-settings-changed', changes: { discountApprovalPercent: 20 } });
      const atOwner = discounted(owner, 4, 41);
      expect(await push(owner, [atOwner])).toMatchObject({ status: 422 });
      expect(await push(owner, [limit20, atOwner])).toMatchObject({ status: 200, body: { accepted: 2, rejected: 0 } });
      // And the till's sale, sent again, now passes.
      expect(await push(till, [atTill])).toMatchObject({ status: 200, body: { accepted: 1 } });
    });

    it('a ledger from before issue 17 (cashier names, no approvers, shifts closed without expected cash) is accepted unchanged and pulled back byte for byte', async () => {
      const sale = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, wallMs: BASE + 1000 });
      const old = [
        event(till, 1, 0, 'Till Tom', { kind: 'shift-opened', shiftId: 'shift-1', float: 10_000 }),
        { ...sale, seq: 2, userId: 'Till Tom' },
        event(till, 3, 2, 'Till Tom', voidOf(sale.id)),
        event(till, 4, 3, 'Mary at the back', { kind: 'cash-moved', shiftId: 'shift-1', amount: -5000, reason: 'Drop to the safe' }),
        event(till, 5, 4, 'Till Tom', { kind: 'shift-closed', shiftId: 'shift-1', countedCash: 4900 }),
      ];
      expect(await push(till, old)).toMatchObject({ status: 200, body: { accepted: 5, rejected: 0 } });
      // The owner defines staff afterwards: the old events stay as they were, and pushing them again is a duplicate.
      expect((await push(owner, defineStaff())).body).toMatchObject({ accepted: 2 });
      expect(await push(till, old)).toMatchObject({ status: 200, body: { duplicate: 5, rejected: 0 } });
      const raw = await fetch(`${server.url}/api/v1/sync/pull?after=0&limit=5`, { headers: { authorization: `Bearer ${owner.token}` } });
      const text = await raw.text();
      expect(text.startsWith(`{"events":[${old.map((e) => JSON.stringify(e)).join(',')}],`)).toBe(true);
    });
  });
}
