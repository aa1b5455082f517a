/**
 * Device revocation (issue 17): the owner lists the store's devices with what the server holds of
 * their events and revokes one; a revoked token is refused on the very next request, on this
 * process and on another one sharing the PostgreSQL database. Runs on SQLite and, when
 * TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/server/credentials.ts';
import type { LogFields } from '../../src/server/log.ts';
import { ACCOUNT_TABLES, contactNeedsWrite, eventsNotSeen, type DeviceStanding } from '../../src/server/storage/store.ts';
import { startServerProcess } from '../sync/server-process.ts';
import { saleEvent } from './fixtures.ts';
import { api, enroll, enrollDevices, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines, TEST_DATABASE_URL, type EngineUnderTest } from './storage-engines.ts';

const REVOKED = 'This device was revoked by the store’s owner: ask the owner to pair it again.';

async function push(baseUrl: string, device: EnrolledDevice, seqs: number[], reportedSeq: number) {
  const events = seqs.map((seq) => saleEvent({ storeId: device.storeId, deviceId: device.deviceId, seq }));
  const res = await fetch(`${baseUrl}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json', 'x-perpetua-device-seq': String(reportedSeq) },
    body: JSON.stringify({ events }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface DeviceView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastSyncAt: string | null;
  revokedAt: string | null;
  eventsReceived: number;
  eventsNotSeen: number;
}

async function listDevices(baseUrl: string, token: string): Promise<DeviceView[]> {
  const res = await api(baseUrl, '/api/v1/devices', { token });
  expect(res.status).toBe(200);
  return (res.body as { devices: DeviceView[] }).devices;
}

describe('the pure rules', () => {
  const standing = (lastSeenAt: string | null, reportedSeq = 5): DeviceStanding => ({ revokedAt: null, lastSeenAt, reportedSeq });

  it('writes a contact at most once a minute, unless the device reports a higher seq', () => {
    expect(contactNeedsWrite(standing(null), '2026-01-05T09:00:00.000Z', null)).toBe(true);
    expect(contactNeedsWrite(standing('2026-01-05T09:00:00.000Z'), '2026-01-05T09:00:59.999Z', 5)).toBe(false);
    expect(contactNeedsWrite(standing('2026-01-05T09:00:00.000Z'), '2026-01-05T09:00:59.999Z', 4)).toBe(false);
    expect(contactNeedsWrite(standing('2026-01-05T09:00:00.000Z'), '2026-01-05T09:00:59.999Z', 6)).toBe(true);
    expect(contactNeedsWrite(standing('2026-01-05T09:00:00.000Z'), '2026-01-05T09:01:00.000Z', null)).toBe(true);
  });

  it('counts events not seen from the last report, never below zero', () => {
    expect(eventsNotSeen({ reportedSeq: 10, highestContiguousSeq: 7 })).toBe(3);
    expect(eventsNotSeen({ reportedSeq: 0, highestContiguousSeq: 7 })).toBe(0);
    expect(eventsNotSeen({ reportedSeq: 7, highestContiguousSeq: 7 })).toBe(0);
  });
});

/** A devices table as servers before issue 17 made it, with one device in it. */
async function writeOldDatabase(engine: EngineUnderTest, options: ReturnType<EngineUnderTest['serverOptions']>): Promise<void> {
  const rows = [
    "INSERT INTO stores (id, name, created_at) VALUES ('store-old', 'Old store', '2025-01-01T00:00:00.000Z')",
    `INSERT INTO devices (id, store_id, name, role, token_hash, created_at) VALUES ('dev-old', 'store-old', 'Old till', 'staff', '${hashSecret('pdt_old')}', '2025-01-01T00:00:00.000Z')`,
  ];
  if (engine.name === 'sqlite') {
    const db = new Database(join(options.dataDir ?? '', 'perpetua.sqlite'));
    db.exec(ACCOUNT_TABLES);
    for (const row of rows) db.exec(row);
    db.close();
    return;
  }
  const schema = options.databaseSchema ?? 'public';
  const pool = new pg.Pool({ connectionString: options.databaseUrl });
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`SET search_path = ${schema}`);
    const client = await pool.connect();
    try {
      await client.query(`SET search_path = ${schema}`);
      await client.query(ACCOUNT_TABLES);
      for (const row of rows) await client.query(row);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

for (const engine of engines()) {
  describe(`${engine.name}: devices and revocation`, () => {
    afterAll(() => engine.cleanup());

    it('upgrades a devices table from before issue 17 in place: the old device is not revoked and has reported nothing', async () => {
      const options = engine.serverOptions();
      await writeOldDatabase(engine, options);
      const store = engine.open(options);
      try {
        await store.migrate();
        await store.migrate(); // twice: every start runs it
        expect(await store.findDeviceStandingByTokenHash(hashSecret('pdt_old'))).toEqual({
          id: 'dev-old',
          storeId: 'store-old',
          name: 'Old till',
          role: 'staff',
          createdAt: '2025-01-01T00:00:00.000Z',
          revokedAt: null,
          lastSeenAt: null,
          reportedSeq: 0,
        });
        expect(await store.findDeviceByTokenHash(hashSecret('pdt_old'))).toEqual({
          id: 'dev-old',
          storeId: 'store-old',
          name: 'Old till',
          role: 'staff',
          createdAt: '2025-01-01T00:00:00.000Z',
        });
        await store.noteDeviceContact('dev-old', '2026-01-05T09:00:00.000Z', 4);
        await store.noteDeviceContact('dev-old', '2026-01-05T09:05:00.000Z', 2); // a lower report never lowers it
        expect(await store.listDevices('store-old')).toEqual([
          expect.objectContaining({ id: 'dev-old', lastSeenAt: '2026-01-05T09:05:00.000Z', reportedSeq: 4, eventsReceived: 0, highestContiguousSeq: 0 }),
        ]);
      } finally {
        await store.close();
      }
    });

    it('lists devices with their figures, revokes one, and refuses its token at once with the sentence and a code', async () => {
      const audit: { event: string; fields: LogFields }[] = [];
      const options = engine.serverOptions();
      const server = await startTestServer({ ...options, auditLog: { record: (event, fields) => audit.push({ event, fields }) } });
      try {
        const [owner, till, phone] = await enrollDevices(server, 3);
        if (!owner || !till || !phone) throw new Error('no devices');
        // The till recorded 10 events but only 7 reached the server.
        expect((await push(server.url, till, [1, 2, 3, 4, 5, 6, 7], 10)).body).toMatchObject({ accepted: 7 });
        // The phone's seq 3 never arrived: it holds 1, 2 and 4 of the 5 it reported.
        expect((await push(server.url, phone, [1, 2, 4], 5)).body).toMatchObject({ accepted: 3 });
        const before = await listDevices(server.url, owner.token);
        expect(before.map((d) => [d.id, d.name, d.role, d.eventsReceived, d.eventsNotSeen, d.revokedAt])).toEqual([
          ['dev-owner', 'Owner tablet', 'owner', 0, 0, null],
          ['dev-1', 'Till 1', 'staff', 7, 3, null],
          ['dev-2', 'Till 2', 'staff', 3, 3, null],
        ]);
        expect(before.find((d) => d.id === 'dev-1')?.lastSyncAt).toEqual(expect.any(String));
        expect(before.find((d) => d.id === 'dev-owner')?.lastSyncAt).toBeNull();

        // The till's token worked a moment ago (this process has seen it).
        expect((await api(server.url, '/api/v1/sync/pull?after=0', { token: till.token })).status).toBe(200);
        const revoked = await api(server.url, '/api/v1/devices/dev-1/revoke', { method: 'POST', token: owner.token });
        expect(revoked.status).toBe(200);
        expect(revoked.body).toMatchObject({ eventsNeverReceived: 3, device: { id: 'dev-1', name: 'Till 1', eventsReceived: 7, eventsNotSeen: 3 } });
        expect((revoked.body as { device: DeviceView }).device.revokedAt).toEqual(expect.any(String));
        expect(audit.filter((line) => line.event === 'device-revoked')).toEqual([expect.objectContaining({ event: 'device-revoked', fields: expect.objectContaining({ deviceId: 'dev-1', byDeviceId: 'dev-owner', eventsNeverReceived: 3 }) })]);

        for (const attempt of [
          () => push(server.url, till, [8], 10),
          () => api(server.url, '/api/v1/sync/pull?after=0', { token: till.token }),
          () => api(server.url, '/api/v1/me', { token: till.token }),
        ]) {
          const refused = await attempt();
          expect(refused.status).toBe(401);
          expect(refused.body).toEqual({ error: REVOKED, code: 'device-revoked' });
        }
        // The others go on; the list says who is revoked.
        expect((await push(server.url, phone, [3], 5)).body).toMatchObject({ accepted: 1 });
        const after = await listDevices(server.url, owner.token);
        expect(after.find((d) => d.id === 'dev-1')?.revokedAt).toEqual((revoked.body as { device: DeviceView }).device.revokedAt);
        expect(after.find((d) => d.id === 'dev-2')).toMatchObject({ eventsReceived: 4, eventsNotSeen: 1, revokedAt: null });
        // Revoking again changes nothing.
        const again = await api(server.url, '/api/v1/devices/dev-1/revoke', { method: 'POST', token: owner.token });
        expect(again.body).toEqual(revoked.body);
      } finally {
        await server.close();
      }
    });

    it('refuses the owner revoking its own device (400), a staff device (403), and unknown or other stores’ devices (404)', async () => {
      const options = engine.serverOptions();
      const server = await startTestServer(options);
      try {
        const [owner, till] = await enrollDevices(server, 2);
        if (!owner || !till) throw new Error('no devices');
        const self = await api(server.url, '/api/v1/devices/dev-owner/revoke', { method: 'POST', token: owner.token });
        expect(self.status).toBe(400);
        expect((self.body as { error: string }).error).toMatch(/^This is the device you are using: it cannot revoke itself\./);
        const byStaff = await api(server.url, '/api/v1/devices/dev-owner/revoke', { method: 'POST', token: till.token });
        expect(byStaff.status).toBe(403);
        expect((byStaff.body as { error: string }).error).toBe('Only the owner’s device can revoke devices. Ask the owner.');
        expect((await api(server.url, '/api/v1/devices', { token: till.token })).status).toBe(403);
        expect((await api(server.url, '/api/v1/devices/dev-nobody/revoke', { method: 'POST', token: owner.token })).status).toBe(404);

        // A device of another store in the same database.
        const storage = engine.open(options);
        try {
          await storage.createStore({ id: 'store-other', name: 'Other', createdAt: '2026-01-01T00:00:00.000Z' });
          await storage.addDevice({ id: 'dev-elsewhere', storeId: 'store-other', name: 'Elsewhere', role: 'staff', createdAt: '2026-01-01T00:00:00.000Z' }, hashSecret('pdt_elsewhere'));
        } finally {
          await storage.close();
        }
        const other = await api(server.url, '/api/v1/devices/dev-elsewhere/revoke', { method: 'POST', token: owner.token });
        expect(other.status).toBe(404);
        expect((await api(server.url, '/api/v1/me', { token: 'pdt_elsewhere' })).status).toBe(200);
        expect((await listDevices(server.url, owner.token)).map((d) => d.id)).toEqual(['dev-owner', 'dev-1']);
        expect((await api(server.url, '/api/v1/me', { token: till.token })).status).toBe(200);
      } finally {
        await server.close();
      }
    });

    it('pairs a revoked device again only with a new code from the owner', async () => {
      const server = await startTestServer(engine.serverOptions());
      try {
        const owner = await enroll(server.url, server.setupCode ?? '', 'Owner tablet', 'dev-owner');
        const firstCode = ((await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string }).code;
        const till = await enroll(server.url, firstCode, 'Till 1', 'dev-till');
        expect((await api(server.url, '/api/v1/devices/dev-till/revoke', { method: 'POST', token: owner.token })).status).toBe(200);
        // Retrying the code it was paired with (still within its 15 minutes) does not lift the revocation.
        const retry = await api(server.url, '/api/v1/devices/enroll', { token: till.token, json: { pairingCode: firstCode, deviceName: 'Till 1', deviceId: 'dev-till' } });
        expect(retry).toMatchObject({ status: 401, body: { reason: 'code-used' } });
        const newCode = ((await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string }).code;
        const again = await api(server.url, '/api/v1/devices/enroll', { token: till.token, json: { pairingCode: newCode, deviceName: 'Till 1', deviceId: 'dev-till' } });
        expect(again.status).toBe(200);
        const token = (again.body as { token: string }).token;
        expect((await api(server.url, '/api/v1/me', { token })).body).toMatchObject({ id: 'dev-till' });
        expect((await listDevices(server.url, owner.token)).find((d) => d.id === 'dev-till')?.revokedAt).toBeNull();
      } finally {
        await server.close();
      }
    });
  });
}

describe.skipIf(!TEST_DATABASE_URL)('postgres: a revocation counts at once on another server process', () => {
  const [postgres] = engines().filter((e) => e.name === 'postgres');
  afterAll(() => postgres?.cleanup());

  it('refuses the revoked token on a second process that used it a moment before', async () => {
    if (!postgres) throw new Error('no postgres engine');
    const options = postgres.serverOptions();
    const server = await startTestServer(options);
    const other = await startServerProcess({
      DATABASE_URL: options.databaseUrl ?? '',
      DATABASE_SCHEMA: options.databaseSchema ?? '',
      PORT: '0',
      PERPETUA_DEMO: '0',
    });
    try {
      const [owner, till] = await enrollDevices(server, 2);
      if (!owner || !till) throw new Error('no devices');
      expect((await push(other.url, till, [1, 2], 4)).body).toMatchObject({ accepted: 2 });
      expect((await api(other.url, '/api/v1/sync/pull?after=0', { token: till.token })).status).toBe(200);
      const revoked = await api(server.url, '/api/v1/devices/dev-1/revoke', { method: 'POST', token: owner.token });
      expect(revoked.body).toMatchObject({ eventsNeverReceived: 2 });
      const refused = await api(other.url, '/api/v1/sync/pull?after=0', { token: till.token });
      expect(refused).toMatchObject({ status: 401, body: { error: REVOKED, code: 'device-revoked' } });
      expect((await push(other.url, till, [3], 4)).status).toBe(401);
    } finally {
      await Promise.all([server.close(), other.stop()]);
    }
  }, 60_000);
});
