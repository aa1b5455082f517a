/**
 * push-batch.ts without a server: which batches are worth the store's staff (a batch of plain sales
 * never waits for the read model), and the 422 that lists the staff rule's refusals beside the
 * schema's, in index order.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, encodeHlc, type EventBody, type LedgerEvent, type PinHash } from '../../src/domain/index.ts';
import { StaffRoster } from '../../src/domain/staff.ts';
import { HttpError } from '../../src/server/http-util.ts';
import { needsStaffView, parsePushBody, rowsOfBatch } from '../../src/server/push-batch.ts';
import type { DeviceRecord } from '../../src/server/storage/store.ts';
import { saleEvent, testUuidV7 } from './fixtures.ts';

const TILL: DeviceRecord = { id: 'dev-till', storeId: 'store-1', name: 'Till', role: 'staff', createdAt: '2026-01-01T00:00:00.000Z' };
const PIN: PinHash = { algorithm: 'PBKDF2-SHA-256', iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: `${'A'.repeat(43)}=` };
const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);
const CAL = testUuidV7(BASE, 'member', 2);

function event(deviceId: string, seq: number, second: number, userId: string, body: EventBody): LedgerEvent {
  const wallMs = BASE + second * 1000;
  return {
    id: testUuidV7(wallMs, deviceId, seq),
    schema: EVENT_SCHEMA_VERSION,
    storeId: 'store-1',
    locationId: 'loc-floor',
    deviceId,
    seq,
    hlc: encodeHlc({ wallMs, counter: 0, deviceId }),
    recordedAt: new Date(wallMs).toISOString(),
    userId,
    currency: 'EUR',
    ...body,
  } as LedgerEvent;
}

const sales = (count: number) => Array.from({ length: count }, (_, i) => saleEvent({ storeId: 'store-1', deviceId: TILL.id, seq: i + 1 }));

describe('push batches and the staff rule', () => {
  it('a batch of plain sales needs no staff view; a void, or any discount, does', () => {
    expect(needsStaffView(parsePushBody({ events: sales(50) }, TILL))).toBe(false);
    const voided = event(TILL.id, 51, 100, CAL, { kind: 'sale-voided', saleId: sales(1)[0]!.id, reason: 'Wrong item' });
    expect(needsStaffView(parsePushBody({ events: [...sales(50), voided] }, TILL))).toBe(true);
    const [sale] = sales(1) as [LedgerEvent & { kind: 'sale' }];
    const line = { ...sale.lines[0]!, lineDiscount: 1, gross: sale.lines[0]!.gross - 1, net: sale.lines[0]!.net - 1 };
    const discounted = { ...sale, lines: [line], totals: { ...sale.totals, net: line.net, gross: line.gross, discount: 1 }, tenders: [{ method: 'card', amount: line.gross }] };
    expect(needsStaffView(parsePushBody({ events: [discounted] }, TILL))).toBe(true);
  });

  it('lists the staff rule’s refusals with the schema’s, by index; without a staff view the rule is not applied', () => {
    const roster = StaffRoster.fromEvents([
      event('dev-owner', 1, 0, 'Owner', { kind: 'staff-member-defined', member: { id: testUuidV7(BASE, 'member', 1), name: 'Ann', role: 'manager', pin: PIN, active: true } }),
      event('dev-owner', 2, 1, 'Owner', { kind: 'staff-member-defined', member: { id: CAL, name: 'Cal', role: 'cashier', pin: PIN, active: true } }),
    ]);
    const voided = event(TILL.id, 3, 100, CAL, { kind: 'sale-voided', saleId: sales(1)[0]!.id, reason: 'Wrong item' });
    const batch = parsePushBody({ events: [voided, { ...sales(1)[0], seq: 0 }, sales(2)[1]] }, TILL);
    let thrown: unknown;
    try {
      rowsOfBatch(batch, { roster, settingsChanges: [] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({
      status: 422,
      details: {
        rejected: [
          { index: 0, id: voided.id, reason: 'sale-voided: Voiding a sale needs a supervisor’s approval, and Cal (cashier) recorded it without one.' },
          { index: 1, reason: 'seq: must be 1 or more' },
        ],
      },
    });
    // The roster it was given is left as it was.
    expect(roster.members().map((m) => m.name)).toEqual(['Ann', 'Cal']);
    expect(rowsOfBatch(parsePushBody({ events: [voided] }, TILL))).toHaveLength(1);
  });
});
