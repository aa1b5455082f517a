/**
 * Pairs this device with the server: sends the pairing code (or nothing, on a demo server) and
 * keeps the token in `meta`. A device that already has a device id (it may have sold offline
 * before pairing) asks to keep it, so its events stay its own.
 */
import type { PerpetuaDb } from '../db/db.ts';
import { journalIdentity } from '../db/journal.ts';
import type { EnrollResponse } from './api-types.ts';
import { postEnroll, SyncHttpError } from './transport.ts';
import { withSyncLockForPairing } from './lock.ts';
import { HISTORY_COMPLETE_KEY, PULL_PROGRESS_KEY } from './history-keys.ts';
import { deviceRoleOf, type DeviceRole } from '../domain/permissions.ts';
import { DEMO_STORE_ID } from '../domain/demo-store.ts';
import { startOver } from '../db/start-over.ts';
import { STARTED_OVER_KEY, type StartedOver } from '../db/meta-keys.ts';

/** Tries after a lost answer: the same device with the same code gets the same enrollment. */
export const ENROLL_ATTEMPTS = 3;
const ENROLL_RETRY_DELAY_MS = 1000;

/** The enrollment; `startedOver`: the device held another store's books and was emptied (reload the page). */
export type Enrolled = EnrollResponse & { startedOver: boolean };

export async function enrollThisDevice(
  db: PerpetuaDb,
  request: { serverUrl: string; deviceName: string; pairingCode?: string; fetch?: typeof fetch; retryDelayMs?: number },
): Promise<Enrolled> {
  const [existingId, token, pairedWith, pairedStore, seeded] = await Promise.all(
    ['deviceId', 'deviceToken', 'serverUrl', 'storeId', 'seeded'].map(async (key) => (await db.meta.get(key))?.value),
  );
  // The store whose books this device holds: the one it was paired with, else the demo store it
  // opened on. Another store's books must not mix with them, nor its sales be sent to the new one.
  const heldStore = typeof pairedStore === 'string' ? pairedStore : seeded === 'demo' ? DEMO_STORE_ID : undefined;
  // Another server: refused before the code is used if this device's own server still waits for some
  // of its events. The demo store's sales are practice and go with the demo, sent or not: its
  // server is often gone by then (the shop's store now runs at its address), and a refusal to pair
  // until they are sent would leave the till stuck.
  const unsentOfHeldStore = async () => (heldStore !== undefined && heldStore !== DEMO_STORE_ID && typeof pairedWith === 'string' ? await db.unsent.count() : 0);
  const sameAddress = sameServer(pairedWith, request.serverUrl);
  const unsent = await unsentOfHeldStore();
  if (!sameAddress && unsent > 0) throw new UnsentEventsError(unsent, String(pairedWith), false);
  // The same address, with events of the held store still to send: the server is asked to pair with
  // that store only. One set up anew there (another store) then refuses before the code is used up.
  const onlyStoreId = unsent > 0 ? heldStore : undefined;
  // The current token proves to the server this device is the one it knows; never sent to another server.
  const proof = typeof token === 'string' && sameAddress ? token : undefined;
  const send = () =>
    postEnroll(
      { baseUrl: request.serverUrl, ...(request.fetch ? { fetch: request.fetch } : {}), ...(proof ? { token: proof } : {}) },
      {
        deviceName: request.deviceName,
        ...(request.pairingCode ? { pairingCode: request.pairingCode } : {}),
        ...(typeof existingId === 'string' ? { deviceId: existingId } : {}),
        ...(onlyStoreId !== undefined ? { onlyStoreId } : {}),
      },
    );
  let enrollment: EnrollResponse | undefined;
  for (let attempt = 1; enrollment === undefined; attempt += 1) {
    try {
      enrollment = await send();
    } catch (error) {
      // The code is for another store than the one asked for (onlyStoreId).
      if (error instanceof SyncHttpError && error.status === 409 && error.reason === 'other-store') throw new UnsentEventsError(unsent, String(pairedWith), false);
      // No answer (Wi-Fi dropped, the reply lost): the server may have paired us; asking again is safe.
      const lost = error instanceof SyncHttpError && error.status === 0;
      if (!lost || attempt >= ENROLL_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, request.retryDelayMs ?? ENROLL_RETRY_DELAY_MS));
    }
  }
  if (typeof enrollment !== 'object' || enrollment === null || typeof enrollment.token !== 'string' || typeof enrollment.deviceId !== 'string') {
    throw new NotPerpetuaServerError(request.serverUrl);
  }
  const pairing = [
    { key: 'deviceToken', value: enrollment.token },
    { key: 'serverUrl', value: request.serverUrl },
    { key: 'deviceId', value: enrollment.deviceId },
    { key: 'storeId', value: enrollment.storeId },
    // Settings shows the owner's "Create pairing code" only on the owner's device.
    { key: 'deviceRole', value: deviceRoleOf(enrollment.role) ?? 'staff' },
    // The server has just answered: the device is connected. An error from before pairing ("not
    // connected to a server yet") must not stay on screen through the whole first pull.
    { key: 'lastAnsweredAt', value: new Date().toISOString() },
    { key: 'lastSyncError', value: null },
  ];
  if (heldStore !== undefined && heldStore !== enrollment.storeId) {
    // Another store at the same address, from a server too old to refuse it (onlyStoreId) before it
    // used the code: known only from its answer.
    const unsent = await unsentOfHeldStore();
    if (unsent > 0) throw new UnsentEventsError(unsent, String(pairedWith), true);
    const startedOver: StartedOver = { held: heldStore === DEMO_STORE_ID ? 'demo' : 'another store', at: new Date().toISOString() };
    await withSyncLockForPairing(() => startOver(db, [...pairing, { key: HISTORY_COMPLETE_KEY, value: false }, { key: STARTED_OVER_KEY, value: startedOver }]));
    return { ...enrollment, startedOver: true };
  }
  if (sameStore({ pairedWith, pairedStore }, { serverUrl: request.serverUrl, storeId: enrollment.storeId })) {
    // Pairing again with the same store (a new code, a revoked device): the history pulled so far stays valid.
    await db.meta.bulkPut(pairing);
  } else {
    // Another store, or another server: the pull's cursor is a position in the old server's
    // database and means nothing here. Pull this store's history from its start, marked as still
    // syncing. Under the sync lock, so a pull from the old server still running cannot write its
    // cursor after this (it stops at its next page, seeing the pairing wait).
    await withSyncLockForPairing(() =>
      db.transaction('rw', db.meta, async () => {
        await db.meta.bulkDelete(['syncCursor', PULL_PROGRESS_KEY]);
        await db.meta.bulkPut([...pairing, { key: HISTORY_COMPLETE_KEY, value: false }]);
      }),
    );
  }
  // The token and server go into the backup copy outside the database too (src/db/journal.ts).
  await journalIdentity(db).catch((error: unknown) => console.error('The backup copy of this device\'s pairing could not be written.', error));
  return { ...enrollment, startedOver: false };
}

/**
 * Pairing with another store, refused: this device holds events its server has not received yet,
 * which emptying it for the new store would lose. Nothing is changed on the device.
 */
export class UnsentEventsError extends Error {
  constructor(
    readonly unsent: number,
    serverUrl: string,
    codeUsed: boolean,
  ) {
    super(
      `This device holds ${unsent} ${unsent === 1 ? 'event' : 'events'} of another store not yet sent to its server (${serverUrl}). ` +
        'Connect it to that server and tap “Sync now” until nothing is waiting, then pair it with this store again' +
        (codeUsed ? ' with a new pairing code (this one is now used).' : ': this pairing code is not used up.') +
        ' Nothing was changed on this device.',
    );
    this.name = 'UnsentEventsError';
  }
}

/** The address answered, but not as a Perpetua server does. */
export class NotPerpetuaServerError extends Error {
  constructor(serverUrl: string) {
    super(`${serverUrl} answers, but it is not a Perpetua server. Check the server address: the server prints it when it starts.`);
    this.name = 'NotPerpetuaServerError';
  }
}

/**
 * Whether the device pairs again with the store it pulled from. The store id alone is not enough:
 * every demo server has the same one, and a cursor is a position in one server's database. A store
 * whose server moved to a new address is pulled again from the start: slower, never wrong.
 */
function sameStore(before: { pairedWith: unknown; pairedStore: unknown }, now: { serverUrl: string; storeId: string }): boolean {
  return before.pairedStore === now.storeId && sameServer(before.pairedWith, now.serverUrl);
}

function sameServer(pairedWith: unknown, serverUrl: string): boolean {
  if (typeof pairedWith !== 'string') return false;
  try {
    const normal = (url: string) => new URL(url).href.replace(/\/$/, '');
    return normal(pairedWith) === normal(serverUrl);
  } catch {
    return false;
  }
}

/**
 * The role this device acts with: an unpaired device is its owner's. A device paired before the
 * rename stored a staff role as 'device': it reads as 'staff'.
 */
export async function readRole(db: PerpetuaDb): Promise<DeviceRole> {
  const [token, role] = await Promise.all([db.meta.get('deviceToken'), db.meta.get('deviceRole')]);
  return token?.value !== undefined && deviceRoleOf(role?.value) === 'staff' ? 'staff' : 'owner';
}
