/**
 * Pairs this device with the server: sends the pairing code (or nothing, on a demo server) and
 * keeps the token in `meta`. A device that already has a device id (it may have sold offline
 * before pairing) asks to keep it, so its events stay its own.
 */
import type { PerpetuaDb } from '../db/db.ts';
import type { EnrollResponse } from './api-types.ts';
import { postEnroll } from './transport.ts';
import { deviceRoleOf } from '../domain/permissions.ts';

export async function enrollThisDevice(
  db: PerpetuaDb,
  request: { serverUrl: string; deviceName: string; pairingCode?: string; fetch?: typeof fetch },
): Promise<EnrollResponse> {
  const existingId = (await db.meta.get('deviceId'))?.value as string | undefined;
  const enrollment = await postEnroll(
    { baseUrl: request.serverUrl, ...(request.fetch ? { fetch: request.fetch } : {}) },
    {
      deviceName: request.deviceName,
      ...(request.pairingCode ? { pairingCode: request.pairingCode } : {}),
      ...(existingId ? { deviceId: existingId } : {}),
    },
  );
  await db.meta.bulkPut([
    { key: 'deviceToken', value: enrollment.token },
    { key: 'serverUrl', value: request.serverUrl },
    { key: 'deviceId', value: enrollment.deviceId },
    { key: 'storeId', value: enrollment.storeId },
    // Settings shows the owner's "Create pairing code" only on the owner's device.
    { key: 'deviceRole', value: deviceRoleOf(enrollment.role) ?? 'staff' },
  ]);
  return enrollment;
}
