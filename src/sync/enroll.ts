/**
 * Pairs this device with the server: sends the pairing code (or nothing, on a demo server) and
 * keeps the token in `meta`. A device that already has a device id (it may have sold offline
 * before pairing) asks to keep it, so its events stay its own.
 */
import type { PerpetuaDb } from '../db/db.ts';
import { journalIdentity } from '../db/journal.ts';
import type { EnrollResponse } from './api-types.ts';
import { postEnroll, SyncHttpError } from './transport.ts';
import { withSyncLock } from './lock.ts';
import { HISTORY_COMPLETE_KEY, PULL_PROGRESS_KEY } from './history-keys.ts';
import { deviceRoleOf, type DeviceRole } from '../domain/permissions.ts';

/** Tries after a lost answer: the same device with the same code gets the same enrollment. */
export const ENROLL_ATTEMPTS = 3;
const ENROLL_RETRY_DELAY_MS = 1000;

export async function enrollThisDevice(
  db: PerpetuaDb,
  request: { serverUrl: string; deviceName: string; pairingCode?: string; fetch?: typeof fetch; retryDelayMs?: number },
): Promise<EnrollResponse> {
  const [existingId, token, pairedWith, pairedStore] = await Promise.all(
    ['deviceId', 'deviceToken', 'serverUrl', 'storeId'].map(async (key) => (await db.meta.get(key))?.value),
  );
  // The current token proves to the server this device is the one it knows; never sent to another server.
  const proof = typeof token === 'string' && sameServer(pairedWith, request.serverUrl) ? token : undefined;
  const send = () =>
    postEnroll(
      { baseUrl: request.serverUrl, ...(request.fetch ? { fetch: request.fetch } : {}), ...(proof ? { token: proof } : {}) },
      {
        deviceName: request.deviceName,
        ...(request.pairingCode ? { pairingCode: request.pairingCode } : {}),
        ...(typeof existingId === 'string' ? { deviceId: existingId } : {}),
      },
    );
  let enrollment: EnrollResponse | undefined;
  for (let attempt = 1; enrollment === undefined; attempt += 1) {
    try {
      enrollment = await send();
    } catch (error) {
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
  if (sameStore({ pairedWith, pairedStore }, { serverUrl: request.serverUrl, storeId: enrollment.storeId })) {
    // Pairing again with the same store (a new code, a revoked device): the history pulled so far stays valid.
    await db.meta.bulkPut(pairing);
  } else {
    // Another store, or another server: the pull's cursor is a position in the old server's
    // database and means nothing here. Pull this store's history from its start, marked as still
    // syncing. Under the sync lock, so a pull from the old server still running cannot write its
    // cursor after this.
    await withSyncLock(() =>
      db.transaction('rw', db.meta, async () => {
        await db.meta.bulkDelete(['syncCursor', PULL_PROGRESS_KEY]);
        await db.meta.bulkPut([...pairing, { key: HISTORY_COMPLETE_KEY, value: false }]);
      }),
    );
  }
  // The token and server go into the backup copy outside the database too (src/db/journal.ts).
  await journalIdentity(db).catch((error: unknown) => console.error('The backup copy of this device\'s pairing could not be written.', error));
  return enrollment;
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
