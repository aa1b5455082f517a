/**
 * A device the owner revoked (issue 17): it reports its highest own seq on each push and pull, so the
 * owner sees what never arrived; once revoked, its next sync says so, it stops calling the server,
 * and nothing local is deleted. Paired again with a new code, it sends what it still holds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readAllEvents } from '../../src/db/event-store.ts';
import {
  DEVICE_REVOKED_STATUS,
  DeviceRevokedError,
  enrollThisDevice,
  highestOwnSeq,
  readSyncStatus,
  syncOnce,
  transportFromMeta,
} from '../../src/sync/index.ts';
import { describeSyncBar } from '../../src/sync/status.ts';
import { api, enrollDevices, pullAllEvents, startTestServer } from '../server/harness.ts';
import { engines } from '../server/storage-engines.ts';
import { createTestDevice } from './device.ts';

const engine = engines()[0]!;

describe('a revoked device', () => {
  afterAll(() => engine.cleanup());

  it('reports its seq, learns it was revoked, stops calling the server, keeps its sales, and comes back when paired again', async () => {
    const server = await startTestServer(engine.serverOptions());
    const [owner, till] = await enrollDevices(server, 2);
    if (!owner || !till) throw new Error('no devices');
    const device = await createTestDevice({ deviceId: till.deviceId, storeId: till.storeId, token: till.token, serverUrl: server.url });
    try {
      for (let i = 0; i < 5; i += 1) await device.sell();
      await syncOnce(device.db, { broadcast: false });
      // Three more sales while the till is cut off from pushing; a pull alone reports seq 8.
      for (let i = 0; i < 3; i += 1) await device.sell();
      expect(await highestOwnSeq(device.db)).toBe(8);
      await (await transportFromMeta(device.db)).pull('0', 1);
      const listed = (await api(server.url, '/api/v1/devices', { token: owner.token })).body as { devices: { id: string; eventsReceived: number; eventsNotSeen: number }[] };
      expect(listed.devices.find((d) => d.id === till.deviceId)).toMatchObject({ eventsReceived: 5, eventsNotSeen: 3 });

      const revoked = await api(server.url, `/api/v1/devices/${till.deviceId}/revoke`, { method: 'POST', token: owner.token });
      expect(revoked.body).toMatchObject({ eventsNeverReceived: 3 });

      await expect(syncOnce(device.db, { broadcast: false })).rejects.toMatchObject({ status: 401 });
      const status = await readSyncStatus(device.db);
      expect(status).toMatchObject({ revoked: true, lastSyncError: DEVICE_REVOKED_STATUS, pending: 3 });
      expect(describeSyncBar(status, { online: true, nowMs: Date.now() }).connection).toBe('revoked');
      // No further request is made with the revoked token.
      let calls = 0;
      const counting: typeof fetch = (...args) => {
        calls += 1;
        return fetch(...args);
      };
      await expect(syncOnce(device.db, { broadcast: false, fetch: counting })).rejects.toBeInstanceOf(DeviceRevokedError);
      expect(calls).toBe(0);
      expect((await readAllEvents(device.db)).filter((e) => e.kind === 'sale')).toHaveLength(8);

      // Paired again with a new code: syncing resumes and the three sales arrive.
      const code = ((await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string }).code;
      await enrollThisDevice(device.db, { serverUrl: server.url, deviceName: 'Till 1', pairingCode: code });
      expect(await syncOnce(device.db, { broadcast: false })).toMatchObject({ pushed: 3, pending: 0 });
      expect((await readSyncStatus(device.db)).revoked).toBe(false);
      expect((await pullAllEvents(server.url, owner.token)).filter((e) => e.deviceId === till.deviceId)).toHaveLength(8);
    } finally {
      device.close();
      await server.close();
    }
  });
});
