/**
 * The client side of the staff role's rename: a device paired before it stored its role as 'device'
 * (and a server not yet upgraded still answers so). Both read as 'staff'.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { deviceRoleOf } from '../../src/domain/permissions.ts';
import { enrollThisDevice } from '../../src/sync/enroll.ts';
import { readRole } from '../../src/ui/app-context.ts';

const opened: PerpetuaDb[] = [];
let counter = 0;
function freshDb(): PerpetuaDb {
  const db = openDb(`role-upgrade-${process.pid}-${++counter}`);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

describe('a staff role stored or sent before the rename', () => {
  it('reads an old stored "device" as staff; owner stays owner; an unpaired device is its owner’s', async () => {
    const db = freshDb();
    await db.meta.bulkPut([
      { key: 'deviceToken', value: 'pdt_old' },
      { key: 'deviceRole', value: 'device' },
    ]);
    expect(await readRole(db)).toBe('staff');
    await db.meta.put({ key: 'deviceRole', value: 'staff' });
    expect(await readRole(db)).toBe('staff');
    await db.meta.put({ key: 'deviceRole', value: 'owner' });
    expect(await readRole(db)).toBe('owner');
    await db.meta.delete('deviceToken');
    await db.meta.put({ key: 'deviceRole', value: 'device' });
    expect(await readRole(db)).toBe('owner');
  });

  it('stores "staff" when a server from before the rename answers "device"', async () => {
    const db = freshDb();
    const oldServer: typeof fetch = async () =>
      new Response(JSON.stringify({ deviceId: 'dev-1', token: 'pdt_x', storeId: 'store-1', role: 'device' }), { status: 201, headers: { 'content-type': 'application/json' } });
    await enrollThisDevice(db, { serverUrl: 'http://127.0.0.1:1', deviceName: 'Till 1', pairingCode: 'ABCD-EFGH', fetch: oldServer });
    expect((await db.meta.get('deviceRole'))?.value).toBe('staff');
    expect(await readRole(db)).toBe('staff');
  });

  it('knows no other role', () => {
    expect([deviceRoleOf('owner'), deviceRoleOf('staff'), deviceRoleOf('device'), deviceRoleOf('admin'), deviceRoleOf(undefined)]).toEqual(['owner', 'staff', 'staff', undefined, undefined]);
  });
});
