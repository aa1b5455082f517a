/**
 * Device tokens are stored only as their SHA-256 (src/server/credentials.ts): a copy of the
 * database must not hold a token that could push as a device. Devices enroll through the real HTTP
 * API; the database is then read directly, on every engine, bypassing the store's own code.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { enrollDevices, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines, type EngineUnderTest } from './storage-engines.ts';

type Row = Record<string, unknown>;

/** Every row of every table of the engine's database, by table name, read with the engine's own driver. */
async function dumpDatabase(engine: EngineUnderTest['name'], storage: ReturnType<EngineUnderTest['serverOptions']>): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  if (engine === 'sqlite') {
    const db = new Database(join(storage.dataDir ?? '', 'perpetua.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
      for (const { name } of names) tables.set(name, db.prepare(`SELECT * FROM "${name}"`).all() as Row[]);
    } finally {
      db.close();
    }
    return tables;
  }
  const client = new pg.Client({ connectionString: storage.databaseUrl });
  await client.connect();
  try {
    const names = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", [storage.databaseSchema]);
    for (const { table_name: name } of names.rows) {
      tables.set(name, (await client.query<Row>(`SELECT * FROM "${storage.databaseSchema}"."${name}"`)).rows);
    }
  } finally {
    await client.end();
  }
  return tables;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

for (const engine of engines()) {
  describe(`device tokens at rest on ${engine.name}`, () => {
    let server: RunningServer;
    let storage: ReturnType<typeof engine.serverOptions>;
    let devices: EnrolledDevice[];

    beforeEach(async () => {
      storage = engine.serverOptions();
      server = await startTestServer(storage);
      devices = await enrollDevices(server, 2); // the owner with the setup code, a till with a pairing code
    });
    afterEach(async () => {
      await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    it('keeps only the SHA-256 of each token, and the plaintext in no column of any row', async () => {
      const tables = await dumpDatabase(engine.name, storage);
      const deviceRows = tables.get('devices') ?? [];
      expect(deviceRows).toHaveLength(2);

      for (const device of devices) {
        expect(device.token).toMatch(/^pdt_[A-Za-z0-9_-]{43}$/);
        const row = deviceRows.find((r) => r.id === device.deviceId);
        expect(row).toBeDefined();
        expect(row?.token_hash).toBe(sha256Hex(device.token));
        expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);

        // Nowhere in the database, in any table, any column, whole or as part of a value.
        const secret = device.token.slice('pdt_'.length);
        for (const [table, rows] of tables) {
          for (const value of rows.flatMap((r) => Object.values(r))) {
            const text = value instanceof Buffer ? value.toString('utf8') : String(value);
            expect(text.includes(secret), `token of ${device.deviceId} found in ${table}`).toBe(false);
          }
        }
      }
    });
  });
}
