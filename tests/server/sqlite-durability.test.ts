/**
 * The SQLite store's durability settings: WAL journal and `synchronous=FULL`, so a batch the server
 * acknowledged to a device survives a power cut (src/server/storage/sqlite.ts). Both are pragmas
 * nothing else checks; dropping one would still pass every functional test.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/server/storage/sqlite.ts';

describe('SQLite durability pragmas', () => {
  let dir = '';
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses a WAL journal and synchronous=FULL on the connection that writes the ledger', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpetua-durability-'));
    const file = join(dir, 'perpetua.sqlite');
    store = new SqliteStore(file);
    await store.migrate();
    await store.createStore({ id: 's1', name: 'Shop', createdAt: '2026-01-05T10:00:00.000Z' });

    // WAL is a property of the database file: another connection sees it.
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }

    // synchronous is per connection, so it is read on the store's own handle. The handle is a
    // TypeScript-private field; reading it here keeps src/ free of a test-only accessor, and a
    // rename makes this throw rather than pass.
    const handle = (store as unknown as { db: Database.Database }).db;
    expect(handle).toBeInstanceOf(Database);
    expect(handle.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(handle.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
  });
});
