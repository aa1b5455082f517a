/**
 * Several server processes on one PostgreSQL behave as one server: push to one process, pull from
 * another; two devices pushing through different processes at once, a third pulling from either
 * sees every event exactly once. Runs when TEST_DATABASE_URL is set (CI sets it).
 */
import { describe, expect, it } from 'vitest';
import { readAllEvents } from '../../src/db/event-store.ts';
import { PostgresStore } from '../../src/server/storage/postgres.ts';
import { syncOnce } from '../../src/sync/index.ts';
import { enroll, pullAllEvents } from '../server/harness.ts';
import { TEST_DATABASE_URL, uniqueSchemaName } from '../server/storage-engines.ts';
import { createTestDevice, queueOfflineSales } from './device.ts';
import { startServerProcess } from './server-process.ts';

describe.skipIf(!TEST_DATABASE_URL)('several server processes on one PostgreSQL', () => {
  it('push to one process, pull from another', async () => {
    const schema = uniqueSchemaName('mp');
    const env = { DATABASE_URL: TEST_DATABASE_URL ?? '', DATABASE_SCHEMA: schema, PORT: '0' };
    // Started together: both race to migrate and create the store; the database settles it.
    const [one, two] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    try {
      const tillA = await enroll(one.url, undefined, 'Till A', 'dev-a');
      const tillB = await enroll(two.url, undefined, 'Till B', 'dev-b');
      const reader = await enroll(two.url, undefined, 'Office', 'dev-office');
      expect(tillA.storeId).toBe(tillB.storeId);
      const a = await createTestDevice({ ...tillA, serverUrl: one.url });
      const b = await createTestDevice({ ...tillB, serverUrl: two.url });
      const office = await createTestDevice({ ...reader, serverUrl: two.url });
      const soldA = await queueOfflineSales(a, 1500);
      const soldB = await queueOfflineSales(b, 1500);

      // Concurrent pushes through different processes, while the office pulls from process two.
      let pulling = true;
      const pulledWhilePushing = (async () => {
        while (pulling) {
          await syncOnce(office.db, { broadcast: false });
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await Promise.all([syncOnce(a.db, { broadcast: false, pushBatchSize: 100 }), syncOnce(b.db, { broadcast: false, pushBatchSize: 100 })]);
      pulling = false;
      await pulledWhilePushing;
      await syncOnce(office.db, { broadcast: false });

      const expected = [...soldA, ...soldB].map((e) => e.id).sort();
      const officeSales = (await readAllEvents(office.db)).filter((e) => e.kind === 'sale').map((e) => e.id).sort();
      expect(officeSales).toEqual(expected);
      // Both processes serve the same sequence.
      const viaOne = await pullAllEvents(one.url, reader.token, 5000);
      const viaTwo = await pullAllEvents(two.url, reader.token, 5000);
      expect(viaOne.map((e) => e.id)).toEqual(viaTwo.map((e) => e.id));
      expect(new Set(viaOne.map((e) => e.id)).size).toBe(viaOne.length);
      for (const device of [a, b, office]) device.close();
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      const store = new PostgresStore({ connectionString: TEST_DATABASE_URL ?? '', schema });
      await store.dropSchema();
      await store.close();
    }
  }, 120_000);
});
