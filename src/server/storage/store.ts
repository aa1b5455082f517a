/**
 * The storage contract of the central server. Two adapters implement it: embedded SQLite
 * (`sqlite.ts`, the default) and PostgreSQL (`postgres.ts`, when DATABASE_URL is set). The same
 * suite (tests/server/storage.test.ts) runs against both, so the HTTP layer never needs to know
 * which one it talks to.
 *
 * Events are stored as their canonical JSON text (keys sorted), which makes "same id, same content"
 * a string comparison and lets pull stream rows out without parsing them again.
 */

/** A validated event, ready to store. `json` is the canonical JSON of the whole event. */
export interface EventRow {
  id: string;
  storeId: string;
  deviceId: string;
  /** The device's own 1, 2, 3… counter. */
  deviceSeq: number;
  hlc: string;
  kind: string;
  json: string;
}

/** The row that stores `event`; `json` is its text as the caller made it (canonical JSON). */
export function eventRowOf(event: LedgerEvent, json: string): EventRow {
  return { id: event.id, storeId: event.storeId, deviceId: event.deviceId, deviceSeq: event.seq, hlc: event.hlc, kind: event.kind, json };
}

export type AppendOutcome =
  | { id: string; status: 'accepted'; cursor: string }
  | { id: string; status: 'duplicate'; cursor: string }
  | { id: string; status: 'rejected'; reason: string };

/**
 * A pull page stops at `limit` events or at this many bytes of event JSON, whichever comes first,
 * but always holds at least one event. Counting events alone, a page of 5,000 catalog events
 * (up to 0.25 MB each) would be over a gigabyte: more than a phone can parse, or a JS string hold.
 */
export const PULL_PAGE_MAX_BYTES = 16 * 1024 * 1024;

export interface PullPage {
  /** Canonical JSON of each event, in server order. */
  events: string[];
  /** Pass as `after` to get the next page; equals the input cursor when nothing new arrived. */
  nextCursor: string;
  hasMore: boolean;
}

export type { DeviceRole } from '../../domain/permissions.ts';
import type { DeviceRole } from '../../domain/permissions.ts';
import type { LedgerEvent } from '../../domain/events.ts';

export interface DeviceRecord {
  id: string;
  storeId: string;
  name: string;
  role: DeviceRole;
  createdAt: string;
}

export interface StoreRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface PairingCodeRecord {
  codeHash: string;
  storeId: string;
  role: DeviceRole;
  /** ISO 8601; the code cannot be used at or after this instant. */
  expiresAt: string;
}

export interface LedgerStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Creates tables when missing. Safe to call from several processes at once. */
  migrate(): Promise<void>;

  createStore(store: StoreRecord): Promise<void>;
  listStores(): Promise<StoreRecord[]>;
  countDevices(storeId: string): Promise<number>;

  addPairingCode(code: PairingCodeRecord): Promise<void>;
  /** Marks the code used and returns it, or null when unknown, used or expired. Atomic. */
  consumePairingCode(codeHash: string, now: string): Promise<PairingCodeRecord | null>;

  /**
   * Pairs a device in one transaction: the code is marked used only together with the device it
   * paired, so a pairing that fails (wrong device, storage error) leaves the code usable. See
   * decidePairing for who may pair.
   */
  pairDevice(request: PairingRequest): Promise<PairingOutcome>;

  /** Returns false (and changes nothing) when the device id is already enrolled. */
  addDevice(device: DeviceRecord, tokenHash: string): Promise<boolean>;
  findDeviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null>;

  /**
   * Stores a batch atomically and durably before resolving. Per event: accepted (new), duplicate
   * (same id and same content already stored) or rejected (the id or the device's seq is already
   * taken by different content). Replaying a batch changes nothing.
   */
  appendEvents(rows: EventRow[], receivedAt: string): Promise<AppendOutcome[]>;
  /** Events after the cursor in server order: at most `limit`, within `maxBytes` (PULL_PAGE_MAX_BYTES). */
  pullEvents(storeId: string, after: string, limit: number, maxBytes?: number): Promise<PullPage>;
  /**
   * Optional, the same page as `pullEvents` with the events already joined by commas into UTF-8
   * bytes: the pull route sends them as they are, with no string per event (issue 5).
   */
  pullEventsJoined?(storeId: string, after: string, limit: number, maxBytes?: number): Promise<JoinedPullPage>;
  countEvents(storeId: string): Promise<number>;

  close(): Promise<void>;
}

export interface JoinedPullPage {
  /** The page's canonical events joined with ',' (the inside of a JSON array), UTF-8. */
  joined: Buffer;
  count: number;
  nextCursor: string;
  hasMore: boolean;
}

/** Cursors are decimal strings of the server's sequence; "0" is the beginning. */
/** The largest cursor: cursors are 64-bit signed integers in both engines. */
const MAX_CURSOR = 2n ** 63n - 1n;

export function parseCursor(cursor: string): bigint | null {
  if (!/^\d{1,19}$/.test(cursor)) return null;
  const value = BigInt(cursor);
  return value <= MAX_CURSOR ? value : null;
}

export const REJECT_ID_REUSED = 'This event id is already stored with different content; the event was changed after it was first sent.';
export function rejectSeqReused(deviceId: string, deviceSeq: number): string {
  return `Device ${deviceId} already sent a different event with seq ${deviceSeq}; seq numbers must not be reused.`;
}

/** Stores, devices and pairing codes: the same plain SQL in SQLite and PostgreSQL. */
export const ACCOUNT_TABLES = `
CREATE TABLE IF NOT EXISTS stores (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pairing_codes (
  code_hash TEXT PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  role TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by_device TEXT
);
`;

/**
 * A code used before pairing became forgiving has no used_by_device: it reads as used by another
 * device. Each adapter adds the column to older tables in migrate().
 */
export const USED_BY_DEVICE_COLUMN = 'used_by_device';

/**
 * Run at every open, after the tables exist: a staff device's role was called 'device' before it
 * was called 'staff'. Devices paired then, and codes made then, read as staff from now on. Plain SQL
 * for both engines; it changes nothing once done.
 */
export const ROLE_RENAME = `
UPDATE devices SET role = 'staff' WHERE role = 'device';
UPDATE pairing_codes SET role = 'staff' WHERE role = 'device';
`;

export interface PairingRequest {
  /** The pairing code's hash, or (demo server, code-less) the store and role granted directly. */
  grant: { codeHash: string } | { storeId: string; role: DeviceRole };
  device: { id: string; name: string; createdAt: string };
  /** Hash of the new token this pairing hands out. */
  tokenHash: string;
  /** Hash of the token the caller sent (Authorization), proof that it is this device already. */
  presentedTokenHash: string | null;
  now: string;
}

export type PairingOutcome =
  | { status: 'paired'; device: DeviceRecord; again: boolean }
  | { status: 'code-unknown' }
  | { status: 'code-expired' }
  | { status: 'code-used'; byDeviceName: string | null }
  | { status: 'device-already-paired'; device: DeviceRecord };

/** What the transaction read before deciding. */
export interface PairingFacts {
  /** null for a code-less grant, or when no code has this hash. */
  code: (PairingCodeRecord & { usedAt: string | null; usedByDevice: string | null; usedByName: string | null }) | null;
  device: (DeviceRecord & { tokenHash: string }) | null;
}

export type PairingAction =
  | { do: 'refuse'; outcome: PairingOutcome }
  | { do: 'insert'; device: DeviceRecord; markCode: boolean }
  | { do: 'reissue'; device: DeviceRecord; markCode: boolean };

/**
 * Who may pair, decided the same way by both engines:
 * - a code pairs one device; it is used up only when that device is paired with it;
 * - the same device retrying with the same code within the code's lifetime gets a new token for the
 *   same enrollment (the first answer may never have arrived);
 * - a device id the server knows is paired again (new token, the code's role, the new name) when the
 *   caller proves it is that device (its current token); otherwise it is refused and the code stays
 *   unused (a device id is no secret: it is in every event the device sends).
 */
export function decidePairing(request: PairingRequest, facts: PairingFacts): PairingAction {
  let storeId: string;
  let role: DeviceRole;
  let retry = false;
  const usesCode = 'codeHash' in request.grant;
  if ('codeHash' in request.grant) {
    const code = facts.code;
    if (!code) return { do: 'refuse', outcome: { status: 'code-unknown' } };
    if (code.expiresAt <= request.now) return { do: 'refuse', outcome: { status: 'code-expired' } };
    if (code.usedAt !== null) {
      if (code.usedByDevice !== request.device.id) {
        return { do: 'refuse', outcome: { status: 'code-used', byDeviceName: code.usedByName } };
      }
      retry = true;
    }
    storeId = code.storeId;
    role = code.role;
  } else {
    storeId = request.grant.storeId;
    role = request.grant.role;
  }
  const markCode = usesCode && !retry;
  const existing = facts.device;
  if (!existing) {
    return { do: 'insert', device: { id: request.device.id, storeId, name: request.device.name, role, createdAt: request.device.createdAt }, markCode };
  }
  const { tokenHash, ...known } = existing;
  const proven = request.presentedTokenHash !== null && request.presentedTokenHash === tokenHash;
  if (known.storeId !== storeId || !(retry || proven)) {
    return { do: 'refuse', outcome: { status: 'device-already-paired', device: known } };
  }
  return { do: 'reissue', device: { ...known, name: request.device.name, role: retry ? known.role : role }, markCode };
}
