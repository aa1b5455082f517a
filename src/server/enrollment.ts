/**
 * Stores and devices. On first start with an empty database the server creates the store and a
 * one-time setup code (printed by main.ts); the first device to enroll with it becomes the owner's
 * device, which can then issue short pairing codes for the other tablets and phones. Each device
 * gets its own random token; only its hash is stored.
 *
 * Demo mode (PERPETUA_DEMO=1) lets a device enroll without any code, so `npm start` and a browser
 * are enough to try the app. Never enable it on a server reachable by strangers.
 */
import { randomUUID } from 'node:crypto';
import { hashSecret, newDeviceToken, newPairingCode, normalizePairingCode } from './credentials.ts';
import { HttpError } from './http-util.ts';
import type { DeviceRole, LedgerStore, PairingRequest, StoreRecord } from './storage/store.ts';

export const SETUP_CODE_TTL_MS = 24 * 60 * 60 * 1000;
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

export interface StoreSetup {
  store: StoreRecord;
  /** Set when no device is enrolled yet: the code the owner types on the first device. */
  setupCode: string | null;
}

export async function ensureStore(
  store: LedgerStore,
  options: { storeId?: string; storeName?: string; now: Date },
): Promise<StoreSetup> {
  let current = (await store.listStores())[0];
  if (!current) {
    const record: StoreRecord = {
      id: options.storeId ?? randomUUID(),
      name: options.storeName ?? 'My store',
      createdAt: options.now.toISOString(),
    };
    try {
      await store.createStore(record);
    } catch (error) {
      // Another process sharing the database created it first; use theirs.
      current = (await store.listStores())[0];
      if (!current) throw error;
    }
    current ??= record;
  }
  if ((await store.countDevices(current.id)) > 0) return { store: current, setupCode: null };
  const setupCode = await issuePairingCode(store, current.id, 'owner', options.now, SETUP_CODE_TTL_MS);
  return { store: current, setupCode: setupCode.code };
}

export async function issuePairingCode(
  store: LedgerStore,
  storeId: string,
  role: DeviceRole,
  now: Date,
  ttlMs: number,
): Promise<{ code: string; expiresAt: string }> {
  const code = newPairingCode();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  await store.addPairingCode({ codeHash: hashSecret(code), storeId, role, expiresAt });
  return { code, expiresAt };
}

export interface EnrollRequest {
  pairingCode?: string;
  deviceName: string;
  /** A device that recorded events before pairing keeps the id those events carry. */
  deviceId?: string;
  /** Pair only with this store (storage/store.ts PairingRequest): the device holds its unsent events. */
  onlyStoreId?: string;
}

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function parseEnrollRequest(body: unknown): EnrollRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'The body must be an object like {"pairingCode": "ABCD-1234", "deviceName": "Till 1"}.');
  }
  const { pairingCode, deviceName, deviceId, onlyStoreId } = body as Record<string, unknown>;
  if (typeof deviceName !== 'string' || deviceName.trim() === '' || deviceName.length > 100) {
    throw new HttpError(400, 'deviceName must be text of 1 to 100 characters, e.g. "Till 1".');
  }
  if (pairingCode !== undefined && typeof pairingCode !== 'string') {
    throw new HttpError(400, 'pairingCode must be text like "ABCD-1234".');
  }
  if (deviceId !== undefined && (typeof deviceId !== 'string' || !DEVICE_ID_PATTERN.test(deviceId))) {
    throw new HttpError(400, 'deviceId must be 1 to 64 letters, digits, "-" or "_".');
  }
  if (onlyStoreId !== undefined && (typeof onlyStoreId !== 'string' || onlyStoreId === '' || onlyStoreId.length > 100)) {
    throw new HttpError(400, 'onlyStoreId must be the id of the store the device holds, 1 to 100 characters.');
  }
  return {
    deviceName: deviceName.trim(),
    ...(pairingCode !== undefined ? { pairingCode } : {}),
    ...(deviceId !== undefined ? { deviceId } : {}),
    ...(onlyStoreId !== undefined ? { onlyStoreId } : {}),
  };
}

export interface Enrollment {
  deviceId: string;
  token: string;
  storeId: string;
  role: DeviceRole;
}

/**
 * A demo server lets a device pair without a code only from the server's own computer: `npm start`
 * listens on every interface, and a code-less device becomes the demo store's owner.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && /^(127\.|::1$|::ffff:127\.)/.test(address);
}

const CODE_REFUSED = 'A pairing code that is unknown, already used or expired cannot pair a device';
const ASK_FOR_CODE = 'Ask the owner for a new code (on the owner’s device: Settings → Server and sync → Create pairing code).';

/** Why a pairing was refused, for the client to choose its words and next step. */
export type PairingRefusal = 'code-missing' | 'code-unknown' | 'code-expired' | 'code-used' | 'device-already-paired' | 'other-store';

function refused(status: number, reason: PairingRefusal, message: string, details: Record<string, unknown> = {}): HttpError {
  return new HttpError(status, message, { reason, ...details });
}

/**
 * Pairs a device. Nothing here uses up the code unless the device is paired with it: the storage
 * decides and writes in one transaction (decidePairing in storage/store.ts says who may pair).
 * `presentedToken` is the token the caller sent, if any: proof that it is the device it names.
 */
export async function enrollDevice(
  store: LedgerStore,
  request: EnrollRequest,
  context: { demo: boolean; fromThisComputer: boolean; demoStoreId: string; now: Date; presentedToken?: string | null },
): Promise<Enrollment & { again: boolean }> {
  let grant: PairingRequest['grant'];
  if (request.pairingCode !== undefined && request.pairingCode.trim() !== '') {
    grant = { codeHash: hashSecret(normalizePairingCode(request.pairingCode)) };
  } else if (context.demo && context.fromThisComputer) {
    grant = { storeId: context.demoStoreId, role: 'owner' };
  } else if (context.demo) {
    throw refused(
      400,
      'code-missing',
      'pairingCode is missing: on this demo server only the server’s own computer pairs without a code. Enter the setup code the server printed, or a code made on the owner’s device (Settings → Server and sync → Create pairing code).',
    );
  } else {
    throw refused(400, 'code-missing', 'pairingCode is missing; enter the code shown by the server or by the owner’s device.');
  }
  const token = newDeviceToken();
  const outcome = await store.pairDevice({
    grant,
    device: { id: request.deviceId ?? randomUUID(), name: request.deviceName, createdAt: context.now.toISOString() },
    tokenHash: hashSecret(token),
    presentedTokenHash: context.presentedToken ? hashSecret(context.presentedToken) : null,
    now: context.now.toISOString(),
    ...(request.onlyStoreId !== undefined ? { onlyStoreId: request.onlyStoreId } : {}),
  });
  switch (outcome.status) {
    case 'paired':
      return { deviceId: outcome.device.id, token, storeId: outcome.device.storeId, role: outcome.device.role, again: outcome.again };
    case 'code-unknown':
      throw refused(401, 'code-unknown', `${CODE_REFUSED}: this one is not a code this server made. Check it letter by letter (it looks like ABCD-1234) and that the server address is the store’s, or ask the owner for a new code.`);
    case 'code-expired':
      throw refused(401, 'code-expired', `${CODE_REFUSED}: this one has expired (a pairing code lasts 15 minutes, the setup code 24 hours). ${ASK_FOR_CODE}`);
    case 'code-used':
      throw refused(
        401,
        'code-used',
        `${CODE_REFUSED}: this one was already used to pair ${outcome.byDeviceName ? `“${outcome.byDeviceName}”` : 'another device'}, and each code pairs one device. ${ASK_FOR_CODE}`,
      );
    case 'device-already-paired':
      throw refused(
        409,
        'device-already-paired',
        `This device is already paired with this store as “${outcome.device.name}”. If it still syncs, it needs no new code. To pair it again (a new name, or the owner’s role), do it on this device while it is still paired: Settings → Server and sync → Pair this device again, which proves it is the same device. The code was not used up.`,
        { deviceName: outcome.device.name },
      );
    case 'other-store':
      throw refused(
        409,
        'other-store',
        'This code pairs with another store than the one whose events this device still has to send. Send them first (connect it to its store and tap “Sync now” until nothing is waiting), then pair it again. The code was not used up.',
      );
  }
}
