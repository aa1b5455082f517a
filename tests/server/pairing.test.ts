/**
 * Pairing that forgives mistakes (issue 13): a failed pairing never uses up its code, the same
 * device retrying with the same code gets the same enrollment, and each refusal says what to do.
 * Run on every storage engine (SQLite always, PostgreSQL with TEST_DATABASE_URL).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret, normalizePairingCode } from '../../src/server/credentials.ts';
import { enrollDevice, issuePairingCode, PAIRING_CODE_TTL_MS, type EnrollRequest } from '../../src/server/enrollment.ts';
import { HttpError } from '../../src/server/http-util.ts';
import type { LedgerStore } from '../../src/server/storage/store.ts';
import { api, startTestServer } from './harness.ts';
import { engines, type EngineUnderTest } from './storage-engines.ts';

async function runSql(engine: EngineUnderTest['name'], options: ReturnType<EngineUnderTest['serverOptions']>, sql: string[]): Promise<void> {
  if (engine === 'sqlite') {
    const db = new Database(join(options.dataDir ?? '', 'perpetua.sqlite'));
    for (const statement of sql) db.exec(statement);
    db.close();
    return;
  }
  const pool = new pg.Pool({ connectionString: options.databaseUrl, options: `-c search_path=${options.databaseSchema ?? 'public'}` });
  try {
    for (const statement of sql) await pool.query(statement);
  } finally {
    await pool.end();
  }
}

const T0 = new Date('2026-03-02T09:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const NOT_DEMO = { demo: false, fromThisComputer: true, demoStoreId: 'unused' };

async function pair(store: LedgerStore, request: EnrollRequest, now = T0, presentedToken: string | null = null) {
  return enrollDevice(store, request, { ...NOT_DEMO, now, presentedToken });
}

/** The refusal of a pairing, as the client sees it: status, reason and sentence. */
async function refusal(attempt: Promise<unknown>): Promise<{ status: number; reason: unknown; message: string }> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, reason: error.details?.reason, message: error.message };
}

for (const engine of engines()) {
  describe(`pairing on ${engine.name}`, () => {
    let store: LedgerStore;
    let code: string;

    beforeEach(async () => {
      store = engine.open(engine.serverOptions());
      await store.migrate();
      await store.createStore({ id: 's1', name: 'Shop', createdAt: T0.toISOString() });
      code = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    it('a device already paired under that id is refused with a sentence, and the code still pairs another device', async () => {
      const till = await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const second = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      const clash = await refusal(pair(store, { pairingCode: second, deviceName: 'Clone', deviceId: till.deviceId }));
      expect(clash).toMatchObject({ status: 409, reason: 'device-already-paired' });
      expect(clash.message).toContain('already paired with this store as “Till 1”');
      expect(clash.message).toContain('Pair this device again');
      const phone = await pair(store, { pairingCode: second, deviceName: 'Phone', deviceId: 'dev-phone' });
      expect(phone).toMatchObject({ deviceId: 'dev-phone', role: 'staff', again: false });
    });

    it('a device asking for its own store only is refused a code of another store, and the code still pairs', async () => {
      await store.createStore({ id: 's2', name: 'Other shop', createdAt: T0.toISOString() });
      const other = (await issuePairingCode(store, 's2', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      const refused = await refusal(pair(store, { pairingCode: other, deviceName: 'Till 1', deviceId: 'dev-till', onlyStoreId: 's1' }));
      expect(refused).toMatchObject({ status: 409, reason: 'other-store' });
      expect(refused.message).toContain('The code was not used up');
      expect(await store.countDevices('s2')).toBe(0);
      // Its own store's code pairs it; the other code still pairs a device of that store.
      expect(await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till', onlyStoreId: 's1' })).toMatchObject({ storeId: 's1', again: false });
      expect(await pair(store, { pairingCode: other, deviceName: 'Phone', deviceId: 'dev-phone' })).toMatchObject({ storeId: 's2', again: false });
    });

    it('a storage error while pairing leaves the code unused', async () => {
      const till = await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const second = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      // Writing the device fails inside the transaction (its token hash is taken: a UNIQUE violation).
      const failing = store.pairDevice({
        grant: { codeHash: hashSecret(normalizePairingCode(second)) },
        device: { id: 'dev-phone', name: 'Phone', createdAt: T0.toISOString() },
        tokenHash: hashSecret(till.token),
        presentedTokenHash: null,
        now: T0.toISOString(),
      });
      await expect(failing).rejects.toThrow();
      expect(await store.countDevices('s1')).toBe(1);
      expect(await pair(store, { pairingCode: second, deviceName: 'Phone', deviceId: 'dev-other' })).toMatchObject({ deviceId: 'dev-other', again: false });
    });

    it('the same device retrying with the same code gets the same enrollment with a new token; the old token stops working', async () => {
      const first = await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const retry = await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' }, later(60_000));
      expect(retry).toMatchObject({ deviceId: 'dev-till', storeId: 's1', role: 'staff', again: true });
      expect(retry.token).not.toBe(first.token);
      expect(await store.findDeviceByTokenHash(hashSecret(retry.token))).toMatchObject({ id: 'dev-till', name: 'Till 1' });
      expect(await store.findDeviceByTokenHash(hashSecret(first.token))).toBeNull();
      expect(await store.countDevices('s1')).toBe(1);
    });

    it('a retry after the code expired is refused as expired', async () => {
      await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const late = await refusal(pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' }, later(PAIRING_CODE_TTL_MS)));
      expect(late).toMatchObject({ status: 401, reason: 'code-expired' });
    });

    it('another device with a used code is refused, naming the device that used it', async () => {
      await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const used = await refusal(pair(store, { pairingCode: code, deviceName: 'Phone', deviceId: 'dev-phone' }));
      expect(used).toMatchObject({ status: 401, reason: 'code-used' });
      expect(used.message).toContain('already used to pair “Till 1”');
      expect(used.message).toContain('Ask the owner for a new code');
      expect(await store.countDevices('s1')).toBe(1);
    });

    it('an expired code is refused as expired, an unknown one as unknown, each with what to do', async () => {
      const expired = await refusal(pair(store, { pairingCode: code, deviceName: 'Till', deviceId: 'dev-late' }, later(PAIRING_CODE_TTL_MS)));
      expect(expired).toMatchObject({ status: 401, reason: 'code-expired' });
      expect(expired.message).toMatch(/expired.*Ask the owner for a new code/);
      const unknown = await refusal(pair(store, { pairingCode: 'ZZZZ-9999', deviceName: 'Till', deviceId: 'dev-typo' }));
      expect(unknown).toMatchObject({ status: 401, reason: 'code-unknown' });
      expect(unknown.message).toContain('Check it letter by letter');
      // Neither failure touched the code: it still pairs within its lifetime.
      expect(await pair(store, { pairingCode: code, deviceName: 'Till', deviceId: 'dev-late' }, later(PAIRING_CODE_TTL_MS - 1))).toMatchObject({ again: false });
    });

    it('a paired device that proves itself with its token pairs again with a new code: new name, the code’s role', async () => {
      const till = await pair(store, { pairingCode: code, deviceName: 'Till 1', deviceId: 'dev-till' });
      const owners = (await issuePairingCode(store, 's1', 'owner', T0, PAIRING_CODE_TTL_MS)).code;
      const again = await pair(store, { pairingCode: owners, deviceName: 'Back office', deviceId: 'dev-till' }, T0, till.token);
      expect(again).toMatchObject({ deviceId: 'dev-till', role: 'owner', again: true });
      expect(await store.findDeviceByTokenHash(hashSecret(again.token))).toMatchObject({ id: 'dev-till', name: 'Back office', role: 'owner' });
      // A wrong token proves nothing.
      const third = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      const impostor = await refusal(pair(store, { pairingCode: third, deviceName: 'X', deviceId: 'dev-till' }, T0, till.token));
      expect(impostor).toMatchObject({ status: 409, reason: 'device-already-paired' });
    });

    it('two devices racing for one code: exactly one is paired, the others are told it was used', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.boolean(), async (racers, withRetry) => {
          const raced = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
          const run = `${Math.random().toString(36).slice(2)}`;
          const ids = Array.from({ length: racers }, (_, i) => `race-${run}-${i}`);
          // With a retry, the first racer sends twice at once (its first answer "lost").
          const attempts = [...ids, ...(withRetry ? [ids[0]!] : [])].map((deviceId) =>
            pair(store, { pairingCode: raced, deviceName: deviceId, deviceId }).then(
              (e) => ({ ok: true as const, deviceId: e.deviceId }),
              (e: unknown) => ({ ok: false as const, reason: e instanceof HttpError ? e.details?.reason : String(e) }),
            ),
          );
          const outcomes = await Promise.all(attempts);
          const winners = new Set(outcomes.flatMap((o) => (o.ok ? [o.deviceId] : [])));
          expect(winners.size).toBe(1);
          for (const o of outcomes) if (!o.ok) expect(o.reason).toBe('code-used');
        }),
        { numRuns: 15 },
      );
    });
  });

  describe(`pairing codes written before used_by_device, on ${engine.name}`, () => {
    afterAll(async () => {
      await engine.cleanup();
    });

    it('migrate adds the column; a code used then reads as used by another device, an unused one pairs', async () => {
      const options = engine.serverOptions();
      let store = engine.open(options);
      await store.migrate();
      await store.createStore({ id: 's1', name: 'Shop', createdAt: T0.toISOString() });
      const old = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      const fresh = (await issuePairingCode(store, 's1', 'staff', T0, PAIRING_CODE_TTL_MS)).code;
      await store.close();
      // As the server before this change left them: no column, the first code used.
      await runSql(engine.name, options, [
        'ALTER TABLE pairing_codes DROP COLUMN used_by_device',
        `UPDATE pairing_codes SET used_at = '${T0.toISOString()}' WHERE code_hash = '${hashSecret(old)}'`,
      ]);
      store = engine.open(options);
      try {
        await store.migrate();
        const used = await refusal(pair(store, { pairingCode: old, deviceName: 'Till', deviceId: 'dev-a' }));
        expect(used).toMatchObject({ status: 401, reason: 'code-used' });
        expect(used.message).toContain('already used to pair another device');
        expect(await pair(store, { pairingCode: fresh, deviceName: 'Till', deviceId: 'dev-a' })).toMatchObject({ deviceId: 'dev-a', again: false });
      } finally {
        await store.close();
      }
    });
  });

  describe(`pairing over HTTP on ${engine.name}`, () => {
    afterAll(async () => {
      await engine.cleanup();
    });

    it('a body that fails validation does not use up the code; a lost answer is retried safely; 200 for a pairing again', async () => {
      const server = await startTestServer({ ...engine.serverOptions(), demo: false });
      try {
        const setup = server.setupCode ?? '';
        const bad = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: setup, deviceName: 'Owner', deviceId: 'not a valid id!' } });
        expect(bad.status).toBe(400);
        const noName = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: setup, deviceName: '' } });
        expect(noName.status).toBe(400);
        const first = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: setup, deviceName: 'Owner', deviceId: 'dev-owner' } });
        expect(first).toMatchObject({ status: 201, body: { deviceId: 'dev-owner', role: 'owner' } });
        // The answer never reached the tablet: it sends the same request again.
        const retry = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: setup, deviceName: 'Owner', deviceId: 'dev-owner' } });
        expect(retry).toMatchObject({ status: 200, body: { deviceId: 'dev-owner', role: 'owner' } });
        const token = (retry.body as { token: string }).token;
        expect((await api(server.url, '/api/v1/me', { token })).body).toMatchObject({ id: 'dev-owner', role: 'owner' });
        // The first answer's token was replaced, and this process forgot it too.
        expect((await api(server.url, '/api/v1/me', { token: (first.body as { token: string }).token })).status).toBe(401);
        const other = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: setup, deviceName: 'Thief', deviceId: 'dev-thief' } });
        expect(other).toMatchObject({ status: 401, body: { reason: 'code-used', error: expect.stringContaining('“Owner”') } });
      } finally {
        await server.close();
      }
    });
  });
}
