/**
 * The staff role's rename ('device' → 'staff') on a server whose tables were written before it: the
 * rows are renamed when the storage opens, so a staff device paired then still works as staff and is
 * still refused what only the owner may record; a pairing code made then pairs a staff device.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openingBalance, saleEvent } from './fixtures.ts';
import { api, enroll, enrollDevices, startTestServer } from './harness.ts';
import { engines, type EngineUnderTest } from './storage-engines.ts';

type StorageOptions = ReturnType<EngineUnderTest['serverOptions']>;

/** Writes the roles back as a server from before the rename stored them. */
async function writeOldRoles(engine: EngineUnderTest, options: StorageOptions): Promise<void> {
  const sql = ["UPDATE devices SET role = 'device' WHERE role = 'staff'", "UPDATE pairing_codes SET role = 'device' WHERE role = 'staff'"];
  if (engine.name === 'sqlite') {
    const db = new Database(join(options.dataDir ?? '', 'perpetua.sqlite'));
    for (const statement of sql) db.exec(statement);
    expect((db.prepare("SELECT count(*) AS n FROM devices WHERE role = 'device'").get() as { n: number }).n).toBe(1);
    db.close();
    return;
  }
  const pool = new pg.Pool({ connectionString: options.databaseUrl, options: `-c search_path=${options.databaseSchema ?? 'public'}` });
  try {
    for (const statement of sql) await pool.query(statement);
    expect((await pool.query("SELECT role FROM devices WHERE role = 'device'")).rowCount).toBe(1);
  } finally {
    await pool.end();
  }
}

for (const engine of engines()) {
  describe(`${engine.name}: a staff device paired before the role was called 'staff'`, () => {
    afterAll(() => engine.cleanup());

    it('authenticates as staff, is refused owner-only events, and its old pairing code pairs staff', async () => {
      const options = engine.serverOptions();
      let server = await startTestServer(options);
      const [owner, till] = await enrollDevices(server, 2);
      if (!owner || !till) throw new Error('no devices');
      const code = (await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
      await server.close();
      await writeOldRoles(engine, options);

      server = await startTestServer(options);
      try {
        expect((await api(server.url, '/api/v1/me', { token: till.token })).body).toMatchObject({ id: till.deviceId, role: 'staff' });
        const refused = openingBalance({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, lines: [{ productId: 'p-1', qty: 5, unitCost: 100 }] });
        expect(await api(server.url, '/api/v1/sync/push', { token: till.token, json: { events: [refused] } })).toMatchObject({
          status: 422,
          body: { rejected: [{ index: 0, reason: 'opening-balance: Only the owner’s device can record opening balances. This device was paired as a staff device.' }] },
        });
        const sale = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1 });
        expect((await api(server.url, '/api/v1/sync/push', { token: till.token, json: { events: [sale] } })).body).toMatchObject({ accepted: 1 });
        expect((await api(server.url, '/api/v1/me', { token: owner.token })).body).toMatchObject({ role: 'owner' });
        const phone = await enroll(server.url, code.code, 'Phone');
        expect(phone.role).toBe('staff');
      } finally {
        await server.close();
      }
    });
  });
}
