/**
 * Bad events are rejected at the boundary with an error that names the field and the problem, and a
 * rejected event changes nothing already projected.
 */
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import { applyUnknown, isExactCopy, parseEvent } from '../../src/domain/validate.ts';
import { Device } from './support/event-factory.ts';
import { journalEntries } from '../../src/domain/journal.ts';

const device = new Device('till-1');
const receipt = device.receive([{ productId: 'tea', qty: 5, unitCost: 250 }]);
const sale = device.sale([{ productId: 'tea', qty: 2 }]);

function errorOf(input: unknown): string {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

/** A copy of `event` with `path` set to `value` (or removed when value is undefined). */
function tamper(event: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe('parseEvent', () => {
  it('accepts well-formed events and returns them unchanged', () => {
    for (const event of [receipt, sale]) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
  });

  it.each([
    ['unknown kind', tamper(receipt, ['kind'], 'teleport'), /^kind: must be one of the event kinds product-defined, .*transfer-in, .*shift-closed, staff-member-defined, pin-rejected$/],
    ['negative received qty', tamper(receipt, ['lines', 0, 'qty'], -3), /^lines\[0\]\.qty: must be a positive quantity$/],
    ['zero received qty', tamper(receipt, ['lines', 0, 'qty'], 0), /^lines\[0\]\.qty: must be a positive quantity$/],
    ['fractional qty', tamper(receipt, ['lines', 0, 'qty'], 1.5), /^lines\[0\]\.qty: must be a whole number of stock units$/],
    ['negative unit cost', tamper(receipt, ['lines', 0, 'unitCost'], -1), /^lines\[0\]\.unitCost: must not be negative$/],
    ['missing supplier', tamper(receipt, ['supplier'], undefined), /^supplier: is missing$/],
    ['missing id', tamper(receipt, ['id'], undefined), /^id: is missing$/],
    ['missing lines', tamper(receipt, ['lines'], undefined), /^lines: is missing$/],
    ['empty lines', tamper(receipt, ['lines'], []), /^lines: needs at least one line$/],
    ['non-integer money', tamper(sale, ['lines', 0, 'net'], 2000.5), /^lines\[0\]\.net: must be a whole number of minor units \(cents\)$/],
    ['money as a string', tamper(sale, ['totals', 'gross'], '24.00'), /^totals\.gross: must be a whole number of minor units/],
    ['lowercase currency', tamper(receipt, ['currency'], 'eur'), /^currency: must be a 3-letter ISO 4217 code such as EUR$/],
    ['currency name', tamper(receipt, ['currency'], 'EURO'), /^currency: must be a 3-letter ISO 4217 code/],
    ['future schema version', tamper(receipt, ['schema'], 2), /^schema: event schema version 2 is newer than this app understands \(1\); update the app/],
    ['unknown schema version', tamper(receipt, ['schema'], 0), /^schema: must be 1$/],
    ['bad HLC', tamper(receipt, ['hlc'], '2024-01-01T00:00:00Z'), /^hlc: must be an HLC stamp/],
    ['id not a UUIDv7', tamper(receipt, ['id'], '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), /^id: must be a UUIDv7$/],
    ['sequence 0', tamper(receipt, ['seq'], 0), /^seq: must be 1 or more$/],
    ['line gross not net + tax', tamper(sale, ['lines', 0, 'gross'], 1), /^lines\[0\]\.gross: must equal net \+ tax \(2000 \+ 400 = 2400\), got 1/],
    ['tenders short of the total', tamper(sale, ['tenders', 0, 'amount'], 2000), /^tenders: amounts must add up to totals\.gross \(2400\), got 2000$/],
    ['not an object', null, /^event: must be an object, got null$/],
    ['a string', 'sale', /^event: must be an object, got the string "sale"$/],
  ])('rejects %s', (_name, input, message) => {
    expect(errorOf(input)).toMatch(message);
  });

  it('lists every problem, not just the first', () => {
    const bad = tamper(tamper(receipt, ['currency'], 'eu'), ['lines', 0, 'qty'], -1);
    expect(errorOf(bad).split('; ')).toEqual(['currency: must be a 3-letter ISO 4217 code such as EUR', 'lines[0].qty: must be a positive quantity']);
  });

  it('rejects a count that counts one product twice', () => {
    const count = device.count([
      { productId: 'tea', countedQty: 1 },
      { productId: 'tea', countedQty: 2 },
    ]);
    expect(errorOf(count)).toBe('lines[1].productId: product tea is counted twice in one count');
  });
});

describe('applyUnknown', () => {
  it('rejects bad events and leaves the projection exactly as it was', () => {
    const ledger = new Books({ valuation: 'fifo', currency: 'EUR' });
    expect(applyUnknown(ledger, receipt).status).toBe('applied');
    expect(applyUnknown(ledger, sale).status).toBe('applied');
    const before = JSON.stringify({ levels: ledger.stockLevels(), journal: journalEntries(ledger), size: ledger.size });
    const bad = [
      tamper(device.sale([{ productId: 'tea', qty: 1 }]), ['kind'], 'gift'),
      tamper(device.receive([{ productId: 'tea', qty: 1, unitCost: 1 }]), ['lines', 0, 'qty'], -1),
      tamper(device.receive([{ productId: 'tea', qty: 1, unitCost: 1 }]), ['schema'], 3),
      tamper(device.receive([{ productId: 'tea', qty: 1, unitCost: 1 }]), ['reference'], undefined),
    ];
    for (const input of bad) expect(applyUnknown(ledger, input).status).toBe('rejected');
    // Valid shape, wrong currency for this store's books.
    const dollars = { ...device.receive([{ productId: 'tea', qty: 1, unitCost: 1 }]), currency: 'USD' };
    expect(applyUnknown(ledger, dollars)).toEqual({
      status: 'rejected',
      error: 'currency: this store keeps its books in EUR, the event is in USD',
    });
    // Same id, different content: the first version stands.
    expect(applyUnknown(ledger, { ...receipt, hlc: sale.hlc }).status).toBe('rejected');
    expect(JSON.stringify({ levels: ledger.stockLevels(), journal: journalEntries(ledger), size: ledger.size })).toBe(before);
  });
});

describe('staff events (issue 17)', () => {
  const owner = new Device('dev-owner');
  const PIN = { algorithm: 'PBKDF2-SHA-256', iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: `${'A'.repeat(43)}=` } as const;
  const member = { id: '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b', name: 'Ann', role: 'manager', pin: PIN, active: true } as const;
  const defined = owner.event({ kind: 'staff-member-defined', member: { ...member, pin: { ...PIN } } });
  const rejected = owner.event({ kind: 'pin-rejected', memberId: member.id, purpose: 'approval' });
  const withMember = (changes: Record<string, unknown>) => ({ ...defined, member: { ...member, ...changes } });
  const withPin = (changes: Record<string, unknown>) => withMember({ pin: { ...PIN, ...changes } });

  it('accepts a member definition and a rejected PIN, and an approver on the envelope, unchanged', () => {
    for (const event of [defined, rejected, { ...sale, approvedBy: member.id }]) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
    expect(parseEvent({ ...rejected, purpose: 'sign-in' }).ok).toBe(true);
  });

  it.each([
    ['a PIN in clear', withMember({ pin: '1234' }), 'member.pin: must be an object, got the string "1234"'],
    ['a PIN in clear beside its hash', withPin({ pin: '1234' }), 'member.pin: must hold only algorithm, iterations, salt and hash (a PIN is stored hashed, never as it is), not pin'],
    ['too few PBKDF2 rounds', withPin({ iterations: 99_999 }), 'member.pin.iterations: must be at least 100000'],
    ['another algorithm', withPin({ algorithm: 'SHA-256' }), 'member.pin.algorithm: must be PBKDF2-SHA-256'],
    ['a salt that is not base64', withPin({ salt: 'salt with spaces!' }), 'member.pin.salt: must be base64'],
    ['a hash that is not base64', withPin({ hash: `${'*'.repeat(43)}=` }), 'member.pin.hash: must be base64; member.pin.hash: must be 32 bytes in base64: 43 characters and one ='],
    ['a hash of 24 bytes', withPin({ hash: 'A'.repeat(32) }), 'member.pin.hash: must be 44 characters (32 bytes in base64); member.pin.hash: must be 32 bytes in base64: 43 characters and one ='],
    ['a hash of 33 bytes', withPin({ hash: 'A'.repeat(44) }), 'member.pin.hash: must be 32 bytes in base64: 43 characters and one ='],
    ['a role that is not one', withMember({ role: 'owner' }), 'member.role: must be one of cashier, supervisor, manager'],
    ['an empty name', withMember({ name: '  ' }), 'member.name: must not be empty'],
    ['a name over 60 characters', withMember({ name: 'x'.repeat(61) }), 'member.name: must be at most 60 characters'],
    ['a member id that is not a UUIDv7', withMember({ id: 'ann' }), 'member.id: must be a UUIDv7'],
    ['active not a boolean', withMember({ active: 'yes' }), 'member.active: must be true or false'],
    ['a rejected PIN for no purpose', { ...rejected, purpose: 'login' }, 'purpose: must be sign-in or approval'],
    ['a rejected PIN for nobody', { ...rejected, memberId: '' }, 'memberId: must not be empty'],
    ['an empty approver', { ...sale, approvedBy: '' }, 'approvedBy: must not be empty'],
    ['an approver that is not text', { ...sale, approvedBy: 7 }, 'approvedBy: must be text'],
  ])('rejects %s with a message naming the field', (_name, input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it('never stores a clear PIN slipped in beside the member: the parsed event drops it', () => {
    const parsed = parseEvent(withMember({ pinCode: '1234' }));
    expect(parsed.ok && JSON.stringify(parsed.event)).not.toContain('1234');
  });
});

describe('isExactCopy', () => {
  it('is true for what validation returns unchanged', () => {
    const raw: unknown = JSON.parse(JSON.stringify(sale));
    const parsed = parseEvent(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(isExactCopy(raw, parsed.event)).toBe(true);
  });

  it('is false when a key was dropped or added at any depth, or a value differs', () => {
    const parsed = JSON.parse(JSON.stringify(sale)) as Record<string, unknown> & { lines: Record<string, unknown>[] };
    expect(isExactCopy({ ...parsed, extra: 1 }, parsed)).toBe(false);
    expect(isExactCopy({ ...parsed, lines: [{ ...parsed.lines[0], extra: 1 }] }, parsed)).toBe(false);
    const { deviceId: _dropped, ...missing } = parsed;
    expect(isExactCopy(missing, parsed)).toBe(false);
    expect(isExactCopy({ ...parsed, seq: Number(parsed.seq) + 1 }, parsed)).toBe(false);
    expect(isExactCopy({ ...parsed, lines: [] }, parsed)).toBe(false);
    expect(isExactCopy({ ...parsed, lines: { 0: parsed.lines[0] } }, parsed)).toBe(false);
    expect(isExactCopy(null, parsed)).toBe(false);
  });
});
