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

/**
 * Where a device stands (issue 17): revoked or not, when it last reached the server, and the highest
 * own seq it said it had recorded (`X-Perpetua-Device-Seq` on push and pull) at that contact.
 */
export interface DeviceStanding {
  /** ISO 8601 time the owner revoked it; null while it may sync. */
  revokedAt: string | null;
  /** ISO 8601 time of its last push or pull (kept to the minute: see CONTACT_WRITE_INTERVAL_MS); null if never. */
  lastSeenAt: string | null;
  /** The highest own seq it reported; 0 when it never said. */
  reportedSeq: number;
}

/** A device with its standing and what the server holds of its events, for the owner's Devices screen. */
export interface DeviceFigures extends DeviceRecord, DeviceStanding {
  /** How many of its events the server stored. */
  eventsReceived: number;
  /** The n for which the server holds its seq 1 … n, all of them (0 when seq 1 is missing). */
  highestContiguousSeq: number;
}

/**
 * Events the device had recorded, by its last report, that the server has not received: never
 * negative (a device that never reported, or pushed beyond its report, owes nothing).
 */
export function eventsNotSeen(figures: Pick<DeviceFigures, 'reportedSeq' | 'highestContiguousSeq'>): number {
  return Math.max(0, figures.reportedSeq - figures.highestContiguousSeq);
}

/**
 * A push or pull updates the device's last contact at most this often (a write per request would
 * double the writes of an idle store's pulls); a higher reported seq is written at once.
 */
export const CONTACT_WRITE_INTERVAL_MS = 60_000;

/** Whether a contact at `nowIso` reporting `reportedSeq` (null: not said) must be written. */
export function contactNeedsWrite(standing: DeviceStanding, nowIso: string, reportedSeq: number | null): boolean {
  if (reportedSeq !== null && reportedSeq > standing.reportedSeq) return true;
  if (standing.lastSeenAt === null) return true;
  return Date.parse(nowIso) - Date.parse(standing.lastSeenAt) >= CONTACT_WRITE_INTERVAL_MS;
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
   * The device and its standing in one indexed lookup (devices.token_hash is unique): every
   * authenticated request makes it, so a revocation counts at once on every server process.
   */
  findDeviceStandingByTokenHash(tokenHash: string): Promise<(DeviceRecord & DeviceStanding) | null>;
  /** Records a push or pull: last contact at `seenAt`, reported seq raised to `reportedSeq` (never lowered). */
  noteDeviceContact(deviceId: string, seenAt: string, reportedSeq: number | null): Promise<void>;
  /** Every device paired with the store, oldest first, with its standing and events received. */
  listDevices(storeId: string): Promise<DeviceFigures[]>;
  /**
   * Revokes the store's device (its token stops working); revoking again keeps the first time.
   * Returns its figures after, or null when the store has no such device. Pairing it again with a
   * new code lifts the revocation.
   */
  revokeDevice(storeId: string, deviceId: string, now: string): Promise<DeviceFigures | null>;

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
  /** The store's events, or only those after the cursor `after` (a new device's "X of Y", issue 19). */
  countEvents(storeId: string, after?: string): Promise<number>;

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
 * Columns of a device's standing (issue 17), added by each adapter's migrate() to a devices table
 * that lacks them: new and old databases take the same path, so the upgrade is the tested one.
 */
export const DEVICE_STANDING_COLUMNS: readonly { name: string; definition: string }[] = [
  { name: 'revoked_at', definition: 'TEXT' },
  { name: 'last_seen_at', definition: 'TEXT' },
  { name: 'reported_seq', definition: 'BIGINT NOT NULL DEFAULT 0' },
];

/**
 * The highest n with the device's seq 1 … n all stored: the end of the run that starts at 1.
 * Plain SQL for both engines; parameters: the device id, twice.
 */
export function contiguousSeqSql(param: (n: number) => string): string {
  return `SELECT CASE WHEN EXISTS (SELECT 1 FROM events WHERE device_id = ${param(1)} AND device_seq = 1)
    THEN (SELECT min(e.device_seq) FROM events e WHERE e.device_id = ${param(2)}
          AND NOT EXISTS (SELECT 1 FROM events f WHERE f.device_id = e.device_id AND f.device_seq = e.device_seq + 1))
    ELSE 0 END AS contiguous`;
}

/** The store's devices with their standing and event counts; one parameter, the store id. */
export function listDevicesSql(param: (n: number) => string, quote: (alias: string) => string): string {
  return `SELECT d.id, d.store_id AS ${quote('storeId')}, d.name, d.role, d.created_at AS ${quote('createdAt')},
      d.revoked_at AS ${quote('revokedAt')}, d.last_seen_at AS ${quote('lastSeenAt')}, d.reported_seq AS ${quote('reportedSeq')},
      (SELECT count(*) FROM events e WHERE e.device_id = d.id) AS ${quote('eventsReceived')},
      (SELECT coalesce(max(e.device_seq), 0) FROM events e WHERE e.device_id = d.id) AS ${quote('highestSeq')}
    FROM devices d WHERE d.store_id = ${param(1)} ORDER BY d.created_at, d.id`;
}

/** A row of listDevicesSql as the engine returns it (PostgreSQL: bigints as strings). */
export interface DeviceFiguresRow extends DeviceRecord {
  revokedAt: string | null;
  lastSeenAt: string | null;
  reportedSeq: number | string;
  eventsReceived: number | string;
  highestSeq: number | string;
}

/**
 * Figures from a row: seq 1 … max all stored when there are as many events as the highest seq
 * (seqs are unique and start at 1), the usual case; otherwise `contiguous` asks the database.
 */
export async function figuresOf(row: DeviceFiguresRow, contiguous: (deviceId: string) => Promise<number>): Promise<DeviceFigures> {
  const { highestSeq, ...rest } = row;
  const eventsReceived = Number(row.eventsReceived);
  const highest = Number(highestSeq);
  return {
    ...rest,
    reportedSeq: Number(row.reportedSeq),
    eventsReceived,
    highestContiguousSeq: eventsReceived === highest ? highest : await contiguous(row.id),
  };
}

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
  /**
   * Pair only if the grant is for this store. A device holding events of its store that the server
   * has not received yet asks this: pairing with another store would empty it, so it is refused,
   * and refused before the code is used up.
   */
  onlyStoreId?: string;
}

export type PairingOutcome =
  | { status: 'paired'; device: DeviceRecord; again: boolean }
  | { status: 'code-unknown' }
  | { status: 'code-expired' }
  | { status: 'code-used'; byDeviceName: string | null }
  | { status: 'device-already-paired'; device: DeviceRecord }
  | { status: 'other-store' };

/** What the transaction read before deciding. */
export interface PairingFacts {
  /** null for a code-less grant, or when no code has this hash. */
  code: (PairingCodeRecord & { usedAt: string | null; usedByDevice: string | null; usedByName: string | null }) | null;
  device: (DeviceRecord & { tokenHash: string; revokedAt?: string | null }) | null;
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
 *   unused (a device id is no secret: it is in every event the device sends);
 * - a caller that asks for one store only (`onlyStoreId`) is refused, the code unused, when the
 *   grant is for another.
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
  if (request.onlyStoreId !== undefined && storeId !== request.onlyStoreId) return { do: 'refuse', outcome: { status: 'other-store' } };
  const markCode = usesCode && !retry;
  const existing = facts.device;
  if (!existing) {
    return { do: 'insert', device: { id: request.device.id, storeId, name: request.device.name, role, createdAt: request.device.createdAt }, markCode };
  }
  const { tokenHash, revokedAt, ...known } = existing;
  // A revoked device comes back only with a new code from the owner: not by retrying the code it
  // was paired with, nor by its (revoked) token on a code-less demo grant.
  if (revokedAt && !(usesCode && !retry)) {
    return { do: 'refuse', outcome: retry ? { status: 'code-used', byDeviceName: known.name } : { status: 'device-already-paired', device: known } };
  }
  const proven = request.presentedTokenHash !== null && request.presentedTokenHash === tokenHash;
  if (known.storeId !== storeId || !(retry || proven)) {
    return { do: 'refuse', outcome: { status: 'device-already-paired', device: known } };
  }
  return { do: 'reissue', device: { ...known, name: request.device.name, role: retry ? known.role : role }, markCode };
}
