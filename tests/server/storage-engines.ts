/**
 * The storage engines a test file should run against: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it; see src/server/README.md). Each PostgreSQL store gets its own
 * schema, dropped afterwards, so test files can run in parallel on one database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/server/storage/postgres.ts';
import { SqliteStore } from '../../src/server/storage/sqlite.ts';
import type { LedgerStore } from '../../src/server/storage/store.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface EngineUnderTest {
  name: 'sqlite' | 'postgres';
  /** Options for startServer selecting a fresh, empty database of this engine. */
  serverOptions(): { dataDir?: string; databaseUrl?: string; databaseSchema?: string };
  open(options: ReturnType<EngineUnderTest['serverOptions']>): LedgerStore;
  cleanup(): Promise<void>;
}

let counter = 0;
export function uniqueSchemaName(prefix = 't'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

export function engines(): EngineUnderTest[] {
  const list: EngineUnderTest[] = [sqliteEngine()];
  if (TEST_DATABASE_URL) list.push(postgresEngine(TEST_DATABASE_URL));
  return list;
}

function sqliteEngine(): EngineUnderTest {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    serverOptions() {
      const dir = mkdtempSync(join(tmpdir(), 'perpetua-test-'));
      dirs.push(dir);
      return { dataDir: dir };
    },
    open: (options) => new SqliteStore(join(options.dataDir ?? '', 'perpetua.sqlite')),
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresEngine(url: string): EngineUnderTest {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    serverOptions() {
      const schema = uniqueSchemaName();
      schemas.push(schema);
      return { databaseUrl: url, databaseSchema: schema };
    },
    open: (options) => new PostgresStore({ connectionString: url, ...(options.databaseSchema ? { schema: options.databaseSchema } : {}) }),
    async cleanup() {
      for (const schema of schemas.splice(0)) {
        const store = new PostgresStore({ connectionString: url, schema });
        await store.dropSchema();
        await store.close();
      }
    },
  };
}
