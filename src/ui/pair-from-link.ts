/**
 * The setup page's link (and its QR code) opens the app at `#/pair?code=ABCD-1234`: this pairs
 * the device with the server it was opened from, then shows the Sell screen. If the code is
 * refused, Settings opens with the code filled in, where "Pair this device" says why.
 */
import { enrollThisDevice, readSyncStatus } from '../sync/index.ts';
import { deviceCode, type AppContext } from './app-context.ts';

export function pairingCodeInLink(hash: string): string | null {
  const match = /^#\/pair\?(.*)$/.exec(hash);
  const code = match ? new URLSearchParams(match[1]).get('code') : null;
  return code && code.trim() !== '' ? code.trim() : null;
}

/** True when this device is paired by the link's code (or already was). */
export async function pairFromLink(app: AppContext): Promise<boolean> {
  const code = pairingCodeInLink(location.hash);
  if (code === null) return false;
  if ((await readSyncStatus(app.db)).enrolled) {
    location.replace('#/sell');
    return true;
  }
  try {
    const enrollment = await enrollThisDevice(app.db, { serverUrl: location.origin, deviceName: `Till ${deviceCode(app.deviceId)}`, pairingCode: code });
    if (enrollment.startedOver) {
      // Emptied of another store's books (see SyncPanel): opened again as the new store's device.
      history.replaceState(null, '', '#/sell');
      location.reload();
      return true;
    }
    // The store and role this device records for, before its first sale (see SyncPanel).
    await app.refreshStoreId();
    location.replace('#/sell');
    return true;
  } catch {
    location.replace(`#/settings?code=${encodeURIComponent(code)}`);
    return false;
  }
}
