/**
 * Everything a screen needs, opened once at start: the local database, the in-memory catalog, who
 * and where this device is, and the settings: the store's (from the ledger, the same on every
 * device) and this device's own (kept on the device).
 */
import { liveQuery } from 'dexie';
import { openDb, getMeta, setMeta, type PerpetuaDb, type LocationRow } from '../db/db.ts';
import { STARTED_OVER_KEY, type StartedOver } from '../db/meta-keys.ts';
import { CatalogIndex } from '../db/catalog.ts';
import { isSeeded, loadDemoCatalog, seedIfEmpty, type FirstStart } from '../db/seed.ts';
import { uuidv7 } from '../db/ids.ts';
import { LedgerWriteError, recordEvent, type RecordingContext, type RecordOptions } from '../db/ledger.ts';
import { ledgerWriterOf, type LedgerWriter } from '../db/ledger-writer.ts';
import { attachJournal, compactJournal, journalIdentity, openOpfsJournal, restoreFromJournal, type JournalFiles, type RestoreReport } from '../db/journal.ts';
import type { LocalProjection } from '../db/projection.ts';
import type { EventBody, LedgerEvent } from '../domain/events.ts';
import { DEFAULT_STORE_SETTINGS, changedFields, withDefaults, type StoreSettings, type StoreSettingsChanges } from '../domain/store-settings.ts';
import type { DeviceRole } from '../domain/permissions.ts';
import type { Privilege, StaffMemberSnapshot } from '../domain/staff.ts';
import { readRole } from '../sync/enroll.ts';
import type { CommandContext, Recordable } from '../app/commands/command.ts';
import { DEMO_LOCATIONS, recordingStoreId } from '../domain/demo-store.ts';
import { inStoreOrder } from '../domain/locations.ts';
import { currencyDigits } from '../domain/money.ts';
import type { VariableMeasureLayout } from '../domain/gtin.ts';

export type { StoreSettings } from '../domain/store-settings.ts';

/** This device's own settings, kept on it (IndexedDB meta 'settings'): never another device's business. */
export interface DeviceSettings {
  /** The location whose stock this device sells and receives. */
  locationId: string;
  cashier: string;
  /** Camera scanning: accept a code only after two identical reads in a row. */
  requireTwoReads: boolean;
}

/** What screens read: the store's settings and this device's, side by side. */
export type Settings = StoreSettings & DeviceSettings;

const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  locationId: DEMO_LOCATIONS[0].id,
  cashier: 'Cashier',
  requireTwoReads: false,
};

/** How this store reads scale labels: its rules, in its currency. */
export function variableMeasureLayoutOf(settings: StoreSettings): VariableMeasureLayout {
  return { rules: settings.variableMeasure, currencyMinorDigits: currencyDigits(settings.currency) };
}

/** The device's part of `settings`. */
export function deviceSettingsOf(settings: DeviceSettings): DeviceSettings {
  return { locationId: settings.locationId, cashier: settings.cashier, requireTwoReads: settings.requireTwoReads };
}

/**
 * What an owner's device saved as store settings before they were the store's (in its meta
 * 'settings', beside the device's own): the fields that differ from a store that never set them.
 */
export function legacyStoreChanges(stored: Partial<Record<keyof StoreSettings, unknown>> | undefined): StoreSettingsChanges {
  if (!stored) return {};
  const fields = ['storeName', 'currency', 'pricesIncludeTax', 'valuation', 'cashStep', 'variableMeasure'] as const;
  const saved: Record<string, unknown> = {};
  for (const field of fields) if (stored[field] !== undefined) saved[field] = stored[field];
  return changedFields(withDefaults({}), saved as StoreSettingsChanges);
}

export interface AppContext {
  db: PerpetuaDb;
  /** Filled in the background after start (see `loadCatalog`); large catalogs take a moment. */
  catalog: CatalogIndex;
  /**
   * Reads the whole catalog into `catalog` (once; later calls return the same promise). The first
   * screen asks for it only after its own first query, so that query is not queued behind it.
   */
  loadCatalog(): Promise<void>;
  deviceId: string;
  /**
   * The store's locations, in store order. Replaced (never edited in place) when the owner adds or
   * renames one, here or on another device; 'locations' fires on `changes` then.
   */
  locations: LocationRow[];
  /**
   * The store's settings (the books' once folded; until then the ones the projection cached at the
   * last start) and this device's. Replaced, never edited in place; 'settings' fires on `changes`.
   */
  settings: Settings;
  /** Valuation, COGS and journal; null for the moment after start while it is being folded. */
  projection: LocalProjection | null;
  /** The store this device records for: the paired server's store, else the local (demo) one. */
  storeId: string;
  /**
   * The owner's device, or a staff device (paired with a code the owner made). A device not paired
   * with a server is its owner's: a one-till shop.
   */
  role: DeviceRole;
  /**
   * The staff member signed in on this device (issue 17): their id is every new event's `userId`.
   * Null on a store without staff members (then `userId` is the device's cashier name) and while
   * the till is locked. Replaced, never edited; 'actor' fires on `changes` when it changes.
   */
  actor: StaffMemberSnapshot | null;
  /**
   * Asks for a supervisor's (or manager's) PIN on the spot, for an action above the signed-in
   * member's role: the approver's member id, or null when nobody approved. Registered by the shell's
   * approval dialog; null until then (then an action that needs approval is refused).
   */
  requestApproval: ((request: ApprovalRequest) => Promise<string | null>) | null;
  /** Re-reads the store id and role after pairing, so new events carry the server's store. */
  refreshStoreId(): Promise<void>;
  /** Who, where and for which store an event is recorded; throws NotPairedError on a real store's device not paired yet. */
  recording(): RecordingContext;
  /** What a command needs to decide (src/app/commands): the books, who and where, settings, `now`. */
  commandContext(now?: number): CommandContext;
  /**
   * Records one of this device's events, then updates projections and asks sync to send it.
   * `options.clearsMeta` deletes a meta record in the event's own transaction (src/db/ledger.ts).
   */
  record(body: Recordable, options?: RecordOptions): Promise<LedgerEvent>;
  /**
   * Records this device's events while this tab holds the writer lock; read-only while another tab
   * of this device does (its `state` says which, 'state' fires on its `changes`).
   */
  writer: LedgerWriter;
  /**
   * What this start restored from the backup copy outside the database (src/db/journal.ts), when the
   * database had lost it; null on an ordinary start.
   */
  restored: RestoreReport | null;
  /** Set when pairing with another store emptied this device just before this start (src/db/start-over.ts). */
  startedOver: StartedOver | null;
  /** Called after each recorded event (the sync scheduler hooks in here). */
  onRecorded: ((event: LedgerEvent) => void) | null;
  /**
   * Fires 'projection' whenever the projection is (re)built or changes, 'catalog' once it is loaded,
   * 'locations' when the list of locations changes, 'settings' when the settings do.
   */
  changes: EventTarget;
  buildProjection(): Promise<LocalProjection>;
  /** Saves this device's settings (the store's are changed with the `changeStoreSettings` command). */
  saveDeviceSettings(settings: DeviceSettings): Promise<void>;
}

/** What the approval dialog asks for. */
export interface ApprovalRequest {
  /** The privileges the event needs that the acting member lacks. */
  privileges: Privilege[];
  /** What is being done, in words ("Void receipt 0007-000012"), for the approver to read. */
  summary: string;
}

export class StorageUnavailableError extends Error {}

/** A LedgerWriteError, so the ledger passes it on unchanged when it is thrown inside the write. */
export class PermissionError extends LedgerWriteError {}

/** Refuses a record on a device of a real store that is not paired yet (it would carry the wrong store's id). */
export class NotPairedError extends LedgerWriteError {
  constructor() {
    super(
      'This device is not paired with the store yet, so it cannot record anything. Pair it in More → Settings → Server and sync with a pairing code from the owner’s device, then try again.',
    );
  }
}

/**
 * Asks this origin's server, once, on the device's first start, whether it runs the demo store.
 * Without an answer (no server, as under `npm run dev`, or no network) the demo is the safe choice:
 * a real store's devices are opened from its server, which answers.
 */
async function firstStartKind(): Promise<FirstStart> {
  try {
    const response = await fetch('/api/v1/enrollment', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    if (!response.ok) return 'demo';
    const { demo } = (await response.json()) as { demo?: unknown };
    return demo === false ? 'empty-store' : 'demo';
  } catch {
    return 'demo';
  }
}

/**
 * Issue 14, item 17: Chromium may delete a database it finds corrupted. Before anything reads the
 * device id or the ledger, what the database lacks is put back from the backup copy kept in the
 * Origin Private File System (src/db/journal.ts); from then on every own event is copied there too.
 */
async function restoreJournal(db: PerpetuaDb, opening: Promise<JournalFiles | undefined>): Promise<RestoreReport | null> {
  const journal = await opening;
  if (!journal) return null;
  try {
    return await restoreFromJournal(db, journal);
  } catch (error) {
    console.error('The backup copy of unsynced events could not be read back.', error);
    return null;
  } finally {
    attachJournal(db, journal);
  }
}

export async function openAppContext(dbName?: string): Promise<AppContext> {
  if (typeof indexedDB === 'undefined') {
    throw new StorageUnavailableError('This browser gives Perpetua no local database (IndexedDB), so it cannot record sales offline.');
  }
  const db = openDb(dbName);
  // The backup copy's directory opens while the database does (it is read only after both are open).
  const journalOpening = openOpfsJournal(`journal-${db.name}`);
  try {
    await db.open();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StorageUnavailableError(
      `Perpetua cannot open its local database (${detail}). Private browsing or full storage can cause this; sales cannot be recorded until it opens.`,
    );
  }
  const restored = await restoreJournal(db, journalOpening);
  if (!(await isSeeded(db))) {
    // Most first starts are the demo's: its catalog loads while the server is asked.
    void loadDemoCatalog().catch(() => undefined);
    await seedIfEmpty(db, await firstStartKind());
  }
  let deviceId = await getMeta<string>(db, 'deviceId');
  if (!deviceId) {
    deviceId = `dev-${uuidv7()}`;
    await setMeta(db, 'deviceId', deviceId);
  }
  await journalIdentity(db).catch((error: unknown) => console.error('The backup copy of this device\'s identity could not be written.', error));
  void compactJournal(db).catch((error: unknown) => console.error(error));
  const [storedLocations, stored, cachedStore, role, pairedStoreId, firstStart, startedOver] = await Promise.all([
    db.locations.toArray(),
    getMeta<Partial<Settings>>(db, 'settings'),
    getMeta<StoreSettings>(db, 'storeSettings'),
    readRole(db),
    getMeta<string>(db, 'storeId'),
    getMeta<FirstStart>(db, 'seeded'),
    getMeta<StartedOver>(db, STARTED_OVER_KEY),
  ]);
  // Said by this start only (App's notice); a later start opens as any other.
  if (startedOver !== undefined) void db.meta.delete(STARTED_OVER_KEY).catch((error: unknown) => console.error(error));
  // A device that started for a real store (not the demo) does not know its store's id until it is
  // paired: an event recorded before would carry the demo's, and the store's server refuse it.
  let awaitingPairing = firstStart === 'empty-store' && pairedStoreId === undefined;
  // Before the books are folded: the store settings the projection cached at the last start. An
  // owner's device from before store settings were the store's has none yet: it sells by what it
  // saved until the migration below records it.
  // A cache written before a setting existed (deadStockDays, issue 15) lacks it: the default fills it.
  const initialStore = cachedStore ? { ...withDefaults({}), ...cachedStore } : withDefaults(role === 'owner' ? legacyStoreChanges(stored) : {});
  const locations = inStoreOrder(storedLocations);
  // The Sell screen draws before the catalog is in memory: a 100,000-product catalog takes a moment to
  // read (100 chunk records), and a scan meanwhile waits for it (see SellScreen's scan).
  const catalog = new CatalogIndex();
  const changes = new EventTarget();
  let catalogLoading: Promise<void> | null = null;
  const loadCatalog = () =>
    (catalogLoading ??= db.catalogChunks.toArray().then((chunks) => {
      catalog.fill(chunks);
      changes.dispatchEvent(new Event('catalog'));
    }));
  const showLocations = (rows: LocationRow[]): void => {
    const next = inStoreOrder(rows);
    if (JSON.stringify(next) === JSON.stringify(app.locations)) return;
    app.locations = next;
    changes.dispatchEvent(new Event('locations'));
  };
  const reloadLocations = async (): Promise<void> => showLocations(await db.locations.toArray());
  // The one tab that records; found before anything can be recorded (an uncontended lock is immediate).
  const writer = ledgerWriterOf(db, deviceId);
  await writer.claim();
  const app: AppContext = {
    db,
    catalog,
    loadCatalog,
    deviceId,
    locations,
    settings: { ...initialStore, ...deviceSettingsOf({ ...DEFAULT_DEVICE_SETTINGS, ...stored }) },
    recording: () => {
      if (awaitingPairing) throw new NotPairedError();
      return {
        storeId: app.storeId,
        locationId: app.settings.locationId,
        deviceId,
        userId: app.actor?.id ?? app.settings.cashier,
        currency: app.settings.currency,
      };
    },
    commandContext: (now = Date.now()) => ({
      books: app.projection?.books ?? null,
      role: app.role,
      deviceId,
      storeId: app.storeId,
      locationId: app.settings.locationId,
      settings: { currency: app.settings.currency, pricesIncludeTax: app.settings.pricesIncludeTax, cashStep: app.settings.cashStep },
      locations: app.locations,
      catalog,
      now,
      newId: () => uuidv7(now),
      ...(app.actor ? { actor: app.actor } : {}),
    }),
    storeId: recordingStoreId(pairedStoreId, locations),
    role,
    actor: null,
    requestApproval: null,
    async refreshStoreId() {
      const paired = await getMeta<string>(db, 'storeId');
      if (paired !== undefined) awaitingPairing = false;
      app.storeId = paired ?? app.storeId;
      app.role = await readRole(db);
    },
    projection: null,
    writer,
    restored,
    startedOver: startedOver ?? null,
    onRecorded: null,
    changes,
    async record(body, options) {
      // Refused here rather than by the server later: the screen shows why and nothing is recorded.
      // A body made from the receipt counter is checked once made, inside the write. The permission
      // table comes with every command (the product commands bring the validator): it loads with the
      // first record, like the validation in src/db/ledger.ts, not with the first screen.
      const { ownerOnlyAction, refusalFor } = await import('../app/commands/registry.ts');
      const allowed = (made: EventBody): EventBody => {
        const refusal = refusalFor(app.role, made.kind);
        if (refusal !== undefined) throw new PermissionError(`${refusal} Ask the owner to do it on their device.`);
        // Once the store has staff, the owner's device does the owner's actions for a manager only.
        const ownerAction = ownerOnlyAction(made.kind);
        if (ownerAction !== undefined && app.projection?.books.staff().hasStaff && app.actor?.role !== 'manager') {
          throw new PermissionError(`Only a manager can ${ownerAction}: sign in as a manager.`);
        }
        return made;
      };
      const checked = typeof body === 'function' ? (receiptCounter: number) => allowed(body(receiptCounter)) : allowed(body);
      const recording = options?.locationId === undefined ? app.recording() : { ...app.recording(), locationId: options.locationId };
      // Issue 17: an action above the signed-in member's role is approved on the spot, before the write.
      const approvedBy = options?.approvedBy ?? (await approverFor(typeof body === 'function' ? allowed(body(1)) : body, recording.currency));
      const event = await recordEvent(db, recording, checked, Date.now(), approvedBy === undefined ? options : { ...options, approvedBy });
      app.projection?.applyOwn(event);
      if (event.kind === 'location-defined') {
        // Shown at once; the locations table is the projection's to write (from the books, so a
        // rename of it by another device that sorts later in ledger order wins there too).
        const others = app.locations.filter((l) => l.id !== event.location.id);
        showLocations([...others, { ...event.location, storeId: event.storeId }]);
        await app.projection?.repairLocations([event]);
      }
      app.onRecorded?.(event);
      return event;
    },
    async buildProjection() {
      // Loaded on demand: the ledger fold (and the event validation it uses) is not first-screen code.
      const { LocalProjection } = await import('../db/projection.ts');
      // Waits for the catalog without asking for it: the first screen decides when it loads.
      if (!catalog.loaded) await new Promise<void>((resolve) => changes.addEventListener('catalog', () => resolve(), { once: true }));
      const projection = await LocalProjection.open(db, catalog, DEFAULT_STORE_SETTINGS.valuation);
      projection.subscribe(() => {
        app.changes.dispatchEvent(new Event('projection'));
        followStoreSettings(projection);
      });
      app.projection = projection;
      app.changes.dispatchEvent(new Event('projection'));
      followStoreSettings(projection);
      await reloadLocations();
      await recordLegacyStoreSettings(projection);
      return projection;
    },
    async saveDeviceSettings(device) {
      // Only the device's fields: store fields saved here before they were the store's are dropped.
      await setMeta(db, 'settings', deviceSettingsOf(device));
      showSettings({ ...app.settings, ...deviceSettingsOf(device) });
    },
  };
  /**
   * The approver's member id when `body` (a sale's made with any receipt counter: the privileges do
   * not depend on it) needs a privilege the signed-in member's role lacks; undefined when it needs
   * none. Nobody approving (cancelled, or no dialog to ask) refuses it with the reason.
   */
  async function approverFor(body: EventBody, currency: string): Promise<string | undefined> {
    const books = app.projection?.books;
    if (!books || !app.actor || !books.staff().hasStaff) return undefined;
    const { approvalNeeded } = await import('./staff/approval.ts');
    const ask = approvalNeeded(body, books, app.actor, { currency });
    if (!ask) return undefined;
    const approver = app.requestApproval ? await app.requestApproval({ privileges: ask.privileges, summary: ask.summary }) : null;
    if (approver === null) throw new PermissionError(ask.refusal);
    return approver;
  }
  let refolding: Promise<LocalProjection> | null = null;
  function showSettings(next: Settings): void {
    if (JSON.stringify(next) === JSON.stringify(app.settings)) return;
    app.settings = next;
    changes.dispatchEvent(new Event('settings'));
  }
  /**
   * The store's settings are the books': shown as soon as they change (the owner's change, pulled).
   * A new valuation method refolds the books by it (a store changes it only before its first sale).
   */
  function followStoreSettings(projection: LocalProjection): void {
    if (app.projection !== projection) return;
    const store = projection.books.storeSettings();
    showSettings({ ...store, ...deviceSettingsOf(app.settings) });
    if (store.valuation !== projection.method) refolding ??= app.buildProjection().finally(() => (refolding = null));
  }
  /**
   * Upgrade: an owner's device that saved store settings before they were the store's records them
   * once, so the store keeps what its owner set; a staff device's own copies are simply ignored.
   * Recorded as they were in force, so not through the command: a currency or method already in use
   * is not a change the first sale should refuse.
   */
  async function recordLegacyStoreSettings(projection: LocalProjection): Promise<void> {
    if (app.role !== 'owner' || Object.keys(projection.books.storeSettingsChanges()).length > 0) return;
    const changes = changedFields(projection.books.storeSettings(), legacyStoreChanges(stored));
    if (Object.keys(changes).length === 0) return;
    try {
      await app.record({ kind: 'store-settings-changed', changes });
    } catch (error) {
      console.error('The store settings saved on this device could not be recorded for the store; set them again in Settings.', error);
    }
  }
  // Locations pulled from the owner's device or defined in another tab (written by the projection).
  liveQuery(() => db.locations.toArray()).subscribe({ next: showLocations, error: (e: unknown) => console.error(e) });
  // Another tab (the writer, while this one is read-only) recorded an event: fold it in here too.
  liveQuery(() => db.events.toCollection().lastKey()).subscribe({
    next: (newest) => {
      if (typeof newest === 'string' && app.projection && !app.projection.books.has(newest)) void app.projection.refresh();
    },
    error: (e: unknown) => console.error(e),
  });
  return app;
}

export { deviceCode } from '../app/queries.ts';
