/**
 * Issue 17, item 5: the audit trail's CSV from the real server process (SQLite; PostgreSQL too when
 * set up), owner only. The owner's device defines Maya (manager) and Sam (cashier); a till pushes
 * Sam's sale, his void and his cash drop both approved by Maya, and a wrong PIN of his. The file
 * lists them by member, equals what the domain makes from the pulled events, and `?member=` keeps
 * one member's rows.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { Books, type LedgerEvent } from '../../src/domain/index.ts';
import type { EventBody, PinHash } from '../../src/domain/events.ts';
import { buildExport, parseCsv } from '../../src/domain/exports/index.ts';
import { hashPin } from '../../src/ui/staff/pin-hash.ts';
import { eventOf, saleEvent, testUuidV7 } from './fixtures.ts';
import { api, enrollDevices, pullAllEvents, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines } from './storage-engines.ts';

const DAY = '2026-01-05';
// 09:00 UTC on DAY: 09:00 in Dublin, the store's zone (UTC in January).
const NINE = Date.UTC(2026, 0, 5, 9, 0, 0);
const MAYA = testUuidV7(NINE - 60_000, 'maya', 1);
const SAM = testUuidV7(NINE - 60_000, 'sam', 2);

function event(device: EnrolledDevice, seq: number, wallMs: number, userId: string, body: EventBody, approvedBy?: string): LedgerEvent {
  return eventOf(device, seq, wallMs, userId, body, approvedBy === undefined ? {} : { approvedBy });
}

for (const engine of engines()) {
  describe(`the audit export on ${engine.name}`, () => {
    let server: RunningServer;
    let owner: EnrolledDevice;
    let till: EnrolledDevice;
    let pin: PinHash;

    beforeEach(async () => {
      server = await startTestServer(engine.serverOptions());
      [owner, till] = (await enrollDevices(server, 2)) as [EnrolledDevice, EnrolledDevice];
      pin ??= await hashPin('2468', 100_000);
      const push = (device: EnrolledDevice, events: LedgerEvent[]) => api(server.url, '/api/v1/sync/push', { token: device.token, json: { events } });
      const staff = [
        event(owner, 1, NINE - 60_000, 'owner', { kind: 'staff-member-defined', member: { id: MAYA, name: 'Maya', role: 'manager', pin, active: true } }),
        event(owner, 2, NINE - 59_000, 'owner', { kind: 'staff-member-defined', member: { id: SAM, name: 'Sam', role: 'cashier', pin, active: true } }),
      ];
      expect((await push(owner, staff)).body).toMatchObject({ accepted: 2 });
      const sale = { ...saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, wallMs: NINE + 1000, unitPrice: 450 }), userId: SAM } as LedgerEvent;
      const events = [
        sale,
        event(till, 2, NINE + 2000, SAM, { kind: 'sale-voided', saleId: sale.id, reason: 'Scanned twice' }, MAYA),
        event(till, 3, NINE + 3000, SAM, { kind: 'cash-moved', shiftId: 'shift-1', amount: -2000, reason: 'Drop to the safe' }, MAYA),
        event(till, 4, NINE + 4000, SAM, { kind: 'pin-rejected', memberId: SAM, purpose: 'sign-in' }),
      ];
      expect((await push(till, events)).body).toMatchObject({ accepted: 4 });
    });
    afterEach(async () => {
      await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    const get = (device: EnrolledDevice, path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${device.token}` } });

    it('lists the day’s void, cash drop, approvals and wrong PIN by member, as the domain makes it', async () => {
      const res = await get(owner, `/api/v1/exports/audit?from=${DAY}&to=${DAY}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="audit-${DAY}-to-${DAY}.csv"`);
      expect(res.headers.get('x-export-rows')).toBe('5');
      const text = await res.text();
      const rows = parseCsv(text).map((r) => r.fields);
      expect(rows).toEqual([
        ['Date', 'Time', 'Member', 'Role', 'Kind', 'Amount', 'Receipt', 'Approved By', 'Detail', 'Device', 'Location'],
        [DAY, '09:00:02', 'Sam', 'Cashier', 'Void', '4.50', `${till.deviceId}-1`, 'Maya', 'Scanned twice', till.deviceId, 'Shop floor'],
        [DAY, '09:00:02', 'Maya', 'Manager', 'Approval', '4.50', `${till.deviceId}-1`, 'Maya', 'Approved voiding a sale for Sam', till.deviceId, 'Shop floor'],
        [DAY, '09:00:03', 'Sam', 'Cashier', 'Cash in or out', '-20.00', '', 'Maya', 'Cash out 20.00: Drop to the safe', till.deviceId, 'Shop floor'],
        [DAY, '09:00:03', 'Maya', 'Manager', 'Approval', '-20.00', '', 'Maya', 'Approved moving cash in or out of the drawer for Sam', till.deviceId, 'Shop floor'],
        [DAY, '09:00:04', 'Sam', 'Cashier', 'Wrong PIN', '0.00', '', '', 'Wrong PIN at sign-in', till.deviceId, 'Shop floor'],
      ]);
      const books = Books.fromEvents((await pullAllEvents(server.url, owner.token)) as unknown as LedgerEvent[], { valuation: 'fifo' });
      const domain = buildExport('audit', books, { from: DAY, to: DAY });
      if (!domain.ok) throw new Error(domain.error);
      expect(text).toBe(domain.files[0]?.text);

      const maya = parseCsv(await (await get(owner, `/api/v1/exports/audit?from=${DAY}&to=${DAY}&member=${MAYA}`)).text()).slice(1).map((r) => r.fields);
      expect(maya.map((r) => [r[2], r[4], r[5]])).toEqual([
        ['Maya', 'Approval', '4.50'],
        ['Maya', 'Approval', '-20.00'],
      ]);
      const dayBefore = parseCsv(await (await get(owner, '/api/v1/exports/audit?from=2026-01-04&to=2026-01-04')).text());
      expect(dayBefore).toHaveLength(1);
    });

    it('is the owner’s only, and wants a range', async () => {
      const refused = await get(till, `/api/v1/exports/audit?from=${DAY}&to=${DAY}`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'Only the owner’s device can download exports: they show costs and the books. Ask the owner.' });
      const noRange = await get(owner, '/api/v1/exports/audit');
      expect(noRange.status).toBe(400);
      expect(((await noRange.json()) as { error: string }).error).toMatch(/from=2026-01-01/);
    });
  });
}
