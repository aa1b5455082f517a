/**
 * A second copy of what this device cannot get back from the server: its own events not yet
 * acknowledged, and its identity (device id, token, server, store, role). Issue 14, item 17:
 * Chromium deletes a database it finds corrupted after crashes mid-write ("recovering from a
 * corrupted (and deleted) database"), and the device restarted empty, its unsynced sales gone.
 *
 * The copy lives outside IndexedDB, in the Origin Private File System, one small file per record:
 * - `event-<seq>-<id>.json`: one own event, written once and never changed (append-only: a new
 *   event is a new file). Written BEFORE the event's IndexedDB transaction; a transaction that
 *   fails removes it again. A crash between the two leaves a file whose event is not in the
 *   database: the next start restores it (the sale was on its way to being recorded).
 * - `identity.json`: the device's identity, rewritten whenever it changes (start, pairing).
 *
 * A file is written by a dedicated worker with a synchronous access handle, flushed to disk before
 * the write is reported done (src/db/journal.worker.ts); where that is unavailable, by the page's
 * writable stream. A crash cannot leave half a record that counts: a half-written event file does
 * not parse and the restore skips it (its event was not yet reported recorded), and the identity is
 * replaced by moving a whole new file over it. The copy stays small: a file whose event the
 * server has acknowledged (in `events`, no longer in `unsent` or `setAside`) is removed by
 * `compactJournal`, at start and after each sync.
 *
 * At start, before the ledger writer starts, `restoreFromJournal` puts back into the database what
 * it lacks: the identity (when the database has no device id) and every journalled event of this
 * device that is not in `events`, with its original id, seq and clock, and its outbox row, so it
 * syncs as if nothing had happened (the server keeps each event id once).
 *
 * Where there is no Origin Private File System (Node tests, old browsers) no journal is attached and
 * the ledger works as before.
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { PerpetuaDb } from './db.ts';
import { loadValidation } from './load-validation.ts';
import { SAVED_CART_KEY } from './meta-keys.ts';

/** The meta keys that make up this device's identity. */
export const IDENTITY_KEYS = ['deviceId', 'deviceToken', 'serverUrl', 'storeId', 'deviceRole'] as const;
export type DeviceIdentity = Partial<Record<(typeof IDENTITY_KEYS)[number], unknown>>;

/** The few file operations the journal needs: OPFS in the browser, a Map in Node tests. */
export interface JournalFiles {
  names(): Promise<string[]>;
  read(name: string): Promise<string | undefined>;
  /** Replaces the whole file; resolves once it is written. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** What a start restored from the journal, for the notice the app shows. */
export interface RestoreReport {
  identity: boolean;
  events: LedgerEvent[];
}

/** What the app tells the cashier after a restore: "2 sales and 1 other change", "this device's pairing", or both. */
export function restoredText(report: RestoreReport): string {
  const sales = report.events.filter((event) => event.kind === 'sale').length;
  const others = report.events.length - sales;
  const parts = [
    ...(sales > 0 ? [`${sales} ${sales === 1 ? 'sale' : 'sales'}`] : []),
    ...(others > 0 ? [`${others} other ${others === 1 ? 'change' : 'changes'}`] : []),
  ];
  const events = parts.length > 0 ? `${parts.join(' and ')} not yet synced` : '';
  const identity = report.identity ? "this device's identity and pairing" : '';
  const what = [events, identity].filter((part) => part !== '').join(', and ');
  const next = report.events.length > 0 ? 'Nothing to do: they sync with the server as usual.' : 'Nothing to do: the device syncs as usual.';
  return `This device's database was missing data (the browser may have deleted it after a crash). Restored from the backup copy kept on this device: ${what}. ${next}`;
}

const IDENTITY_FILE = 'identity.json';
const EVENT_FILE = /^event-(\d+)-(.+)\.json$/;

const eventFile = (event: Pick<LedgerEvent, 'seq' | 'id'>): string => `event-${String(event.seq).padStart(12, '0')}-${event.id}.json`;

function parseEventFile(name: string): { name: string; seq: number; id: string } | null {
  const match = EVENT_FILE.exec(name);
  return match ? { name, seq: Number(match[1]), id: match[2] ?? '' } : null;
}

const journals = new WeakMap<PerpetuaDb, JournalFiles>();

/** From now on `db`'s own events are journalled in `files` (the app does this at start). */
export function attachJournal(db: PerpetuaDb, files: JournalFiles): void {
  journals.set(db, files);
}

/** Removes every event file: the device starts over for another store (src/db/start-over.ts). */
export async function removeJournalledEvents(files: JournalFiles): Promise<number> {
  const names = (await files.names()).filter((name) => parseEventFile(name) !== null);
  await Promise.all(names.map((name) => files.remove(name)));
  return names.length;
}

export function journalOf(db: PerpetuaDb): JournalFiles | undefined {
  return journals.get(db);
}

/**
 * Writes `events` to `db`'s journal (if it has one) while `write`, the IndexedDB transaction that
 * records them, runs, and returns once both are done: a sale is confirmed only when it is in both.
 * The two go side by side rather than one after the other (a sale waits for the slower, not for the
 * sum): a crash before both finish leaves the event in one of them, and either restores it (a copy
 * whose transaction did not commit is put back at start, and takes its saved cart away with it).
 * Should the transaction fail, the files go again: an event the cashier was told was NOT recorded
 * must not come back at the next start. A journal that cannot be written does not stop the till:
 * the event is recorded in IndexedDB as before, and the console says why.
 */
export async function journalled<T>(db: PerpetuaDb, events: LedgerEvent[], write: () => Promise<T>): Promise<T> {
  const files = journals.get(db);
  if (!files) return write();
  const names = events.map(eventFile);
  const copied = Promise.all(events.map((event, i) => files.write(names[i] ?? eventFile(event), JSON.stringify(event)))).catch((error: unknown) => {
    console.error('The backup copy of this event could not be written (Origin Private File System); it is recorded in the database only.', error);
  });
  try {
    const result = await write();
    await copied;
    return result;
  } catch (error) {
    await copied;
    await Promise.all(names.map((name) => files.remove(name))).catch(() => undefined);
    throw error;
  }
}

/** Reads this device's identity from `db`'s meta. */
export async function identityOf(db: PerpetuaDb): Promise<DeviceIdentity> {
  const rows = await db.meta.bulkGet([...IDENTITY_KEYS]);
  const identity: DeviceIdentity = {};
  IDENTITY_KEYS.forEach((key, i) => {
    const value = rows[i]?.value;
    if (value !== undefined) identity[key] = value;
  });
  return identity;
}

/** Keeps the journal's copy of the identity equal to the database's (after start, after pairing). */
export async function journalIdentity(db: PerpetuaDb): Promise<void> {
  const files = journals.get(db);
  if (!files) return;
  const text = JSON.stringify(await identityOf(db));
  if ((await files.read(IDENTITY_FILE)) !== text) await files.write(IDENTITY_FILE, text);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Puts back into `db` what the journal has and it lacks: the identity, when `db` has no device id,
 * and this device's journalled events missing from `events` (with their outbox rows). Returns null
 * when nothing was missing. Run before the ledger writer reads where the ledger stands.
 */
export async function restoreFromJournal(db: PerpetuaDb, files: JournalFiles): Promise<RestoreReport | null> {
  const saved = parseJson(await files.read(IDENTITY_FILE));
  const journalledIdentity = typeof saved === 'object' && saved !== null ? (saved as DeviceIdentity) : {};
  const current = await identityOf(db);
  const restoreIdentity = current.deviceId === undefined && typeof journalledIdentity.deviceId === 'string';
  if (restoreIdentity) {
    const rows = IDENTITY_KEYS.flatMap((key) => (journalledIdentity[key] === undefined ? [] : [{ key, value: journalledIdentity[key] }]));
    await db.meta.bulkPut(rows);
  }
  const deviceId = restoreIdentity ? journalledIdentity.deviceId : current.deviceId;

  const entries = (await files.names()).flatMap((name) => parseEventFile(name) ?? []);
  const present = await db.events.bulkGet(entries.map((entry) => entry.id));
  const missing = entries.filter((_, i) => present[i] === undefined);
  const restored = deviceId === undefined ? [] : await restoreEvents(db, files, missing, deviceId);
  return restoreIdentity || restored.length > 0 ? { identity: restoreIdentity, events: restored } : null;
}

/** Writes back the journalled events of `deviceId` among `missing`, with their outbox rows. */
async function restoreEvents(db: PerpetuaDb, files: JournalFiles, missing: { name: string; id: string }[], deviceId: unknown): Promise<LedgerEvent[]> {
  if (missing.length === 0) return [];
  // Validation (zod) loads only when there is something to restore: not on an ordinary start.
  const { parseEvent } = await loadValidation();
  const events: LedgerEvent[] = [];
  for (const entry of missing) {
    const parsed = parseEvent(parseJson(await files.read(entry.name)));
    // Another device's identity (the database was set up anew before this journal was read): not ours to send.
    if (parsed.ok && parsed.event.id === entry.id && parsed.event.deviceId === deviceId) events.push(parsed.event);
  }
  // A seq already taken by another own event: a write that failed and whose file could not be removed.
  const taken = await Promise.all(events.map((event) => db.events.where('[deviceId+seq]').equals([event.deviceId, event.seq]).first()));
  const restored = events.filter((_, i) => taken[i] === undefined);
  if (restored.length > 0) {
    // A restored sale's cart may still be saved (the crash came after its copy, before the transaction
    // that would have removed it): it is removed with the restore, so that sale is not offered again.
    const sold = restored.some((event) => event.kind === 'sale');
    await db.transaction('rw', db.events, db.unsent, db.meta, () =>
      Promise.all([
        db.events.bulkPut(restored),
        db.unsent.bulkPut(restored.map((event) => ({ seq: event.seq, eventId: event.id, attempts: 0 }))),
        sold ? db.meta.delete(SAVED_CART_KEY) : undefined,
      ]),
    );
  }
  return restored;
}

/**
 * Removes the files of events the server has acknowledged: in `events`, and neither waiting in
 * `unsent` nor refused in `setAside`. A file whose event is not in `events` yet is a write in
 * flight (or one to restore) and stays. So do the files of the device's newest event and newest
 * sale, acknowledged or not: a database restored from the copy alone must know where the device's
 * sequence and receipt numbers stand (src/db/ledger-writer.ts reads them from the ledger), or its
 * next sale would take numbers already used (the server would refuse it, the receipt would repeat).
 * Put back, those two go to the server again and are taken as duplicates.
 */
export async function compactJournal(db: PerpetuaDb): Promise<number> {
  const files = journals.get(db);
  if (!files) return 0;
  const entries = (await files.names()).flatMap((name) => parseEventFile(name) ?? []);
  if (entries.length === 0) return 0;
  const [present, unsent, setAside] = await db.transaction('r', db.events, db.unsent, db.setAside, () =>
    Promise.all([db.events.bulkGet(entries.map((entry) => entry.id)), db.unsent.toArray(), db.setAside.toArray()]),
  );
  const waiting = new Set([...unsent.map((row) => row.eventId), ...setAside.map((row) => row.eventId)]);
  const newest = (events: (LedgerEvent | undefined)[]) => events.reduce<LedgerEvent | undefined>((a, e) => (e && (!a || e.seq > a.seq) ? e : a), undefined)?.id;
  const keep = new Set([newest(present), newest(present.filter((e) => e?.kind === 'sale'))]);
  const acknowledged = entries.filter((entry, i) => present[i] !== undefined && !waiting.has(entry.id) && !keep.has(entry.id));
  await Promise.all(acknowledged.map((entry) => files.remove(entry.name)));
  return acknowledged.length;
}

/** The journal in the Origin Private File System, or undefined where the browser has none. */
export async function openOpfsJournal(directory: string): Promise<JournalFiles | undefined> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (typeof storage?.getDirectory !== 'function' || typeof FileSystemFileHandle === 'undefined' || !('createWritable' in FileSystemFileHandle.prototype)) {
    return undefined;
  }
  try {
    const root = await storage.getDirectory();
    const files = opfsFiles(await root.getDirectoryHandle(directory, { create: true }));
    // The worker starts with the first event written (a sale), not with the app: starting it was a
    // long task of every start on a phone (issue 19), and a device may sell nothing for a while.
    // Until it answers, writes go through the page's own file access, as where there is no worker;
    // so does the identity, written when the device pairs.
    let worker: Promise<unknown> | undefined;
    let workerReady: JournalFiles['write'] | undefined;
    const write: JournalFiles['write'] = (name, text) => {
      if (name.startsWith('event-')) worker ??= workerWrite(directory).then((ready) => (workerReady = ready));
      return (workerReady ?? files.write)(name, text);
    };
    return { ...files, write };
  } catch (error) {
    console.error('No backup copy of unsynced events: the Origin Private File System is not available.', error);
    return undefined;
  }
}

/** The worker's flushed write, or undefined where there is no worker or no sync access handle. */
async function workerWrite(directory: string): Promise<JournalFiles['write'] | undefined> {
  if (typeof Worker === 'undefined') return undefined;
  try {
    // A separate chunk (comlink and the worker), loaded after the first screen.
    const { startJournalWorker } = await import('./journal-worker-files.ts');
    return await startJournalWorker(directory);
  } catch (error) {
    console.error('The backup copy is written by the page: its worker did not start.', error);
    return undefined;
  }
}

function opfsFiles(dir: FileSystemDirectoryHandle): JournalFiles {
  return {
    async names() {
      const names: string[] = [];
      for await (const name of (dir as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names;
    },
    async read(name) {
      try {
        return await (await (await dir.getFileHandle(name)).getFile()).text();
      } catch (error) {
        if (error instanceof DOMException && error.name === 'NotFoundError') return undefined;
        throw error;
      }
    },
    async write(name, text) {
      // The stream writes to a copy that replaces the file on close: whole or not at all.
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(text);
      await writable.close();
    },
    async remove(name) {
      await dir.removeEntry(name).catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      });
    },
  };
}
