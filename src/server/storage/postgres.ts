/**
 * PostgreSQL storage, used when DATABASE_URL is set. Several server processes may share one
 * database and must behave as one server: the crux is the pull cursor. A bigserial sequence hands
 * out numbers at insert time but transactions commit in any order, so a reader could see seq 11
 * before seq 10 commits and then skip 10 forever. Each append therefore takes a transaction-scoped
 * advisory lock per store: numbers are handed out and committed in the same order.
 */
import pg from 'pg';
import { sameJsonContent } from '../canonical-json.ts';
import {
  REJECT_ID_REUSED,
  ACCOUNT_TABLES,
  ROLE_RENAME,
  USED_BY_DEVICE_COLUMN,
  DEVICE_STANDING_COLUMNS,
  contiguousSeqSql,
  decidePairing,
  figuresOf,
  listDevicesSql,
  parseCursor,
  PULL_PAGE_MAX_BYTES,
  rejectSeqReused,
  type AppendOutcome,
  type DeviceFigures,
  type DeviceFiguresRow,
  type DeviceRecord,
  type DeviceStanding,
  type EventRow,
  type LedgerStore,
  type PairingCodeRecord,
  type PairingFacts,
  type PairingOutcome,
  type PairingRequest,
  type PullPage,
  type StoreRecord,
} from './store.ts';

// Keep bigint counts and sequences as strings; cursors are strings in the API anyway.
const SCHEMA = `
${ACCOUNT_TABLES}CREATE TABLE IF NOT EXISTS events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  store_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  device_seq BIGINT NOT NULL,
  hlc TEXT NOT NULL,
  kind TEXT NOT NULL,
  json TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (device_id, device_seq)
);
CREATE INDEX IF NOT EXISTS events_store_seq ON events (store_id, seq);
${ROLE_RENAME}`;

/** Serialises concurrent CREATE TABLE IF NOT EXISTS from several processes starting together. */
const MIGRATION_LOCK = 7_200_001;

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to use instead of `public` (tests give each run its own). Created when missing. */
  schema?: string;
  poolSize?: number;
}

export class PostgresStore implements LedgerStore {
  readonly engine = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema;
    if (this.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) {
      throw new RangeError(`Invalid PostgreSQL schema name: ${this.schema}`);
    }
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 8,
      ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the server; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(SCHEMA);
      await client.query(`ALTER TABLE pairing_codes ADD COLUMN IF NOT EXISTS ${USED_BY_DEVICE_COLUMN} TEXT`);
      for (const column of DEVICE_STANDING_COLUMNS) {
        await client.query(`ALTER TABLE devices ADD COLUMN IF NOT EXISTS ${column.name} ${column.definition}`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Drops the test schema and everything in it. Only for tests. */
  async dropSchema(): Promise<void> {
    if (!this.schema) throw new Error('Refusing to drop the public schema');
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async createStore(store: StoreRecord): Promise<void> {
    await this.pool.query('INSERT INTO stores (id, name, created_at) VALUES ($1, $2, $3)', [
      store.id,
      store.name,
      store.createdAt,
    ]);
  }

  async listStores(): Promise<StoreRecord[]> {
    const result = await this.pool.query<StoreRecord>(
      'SELECT id, name, created_at AS "createdAt" FROM stores ORDER BY created_at, id',
    );
    return result.rows;
  }

  async countDevices(storeId: string): Promise<number> {
    const result = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM devices WHERE store_id = $1', [storeId]);
    return Number(result.rows[0]?.n ?? 0);
  }

  async addPairingCode(code: PairingCodeRecord): Promise<void> {
    await this.pool.query('INSERT INTO pairing_codes (code_hash, store_id, role, expires_at) VALUES ($1, $2, $3, $4)', [
      code.codeHash,
      code.storeId,
      code.role,
      code.expiresAt,
    ]);
  }

  async consumePairingCode(codeHash: string, now: string): Promise<PairingCodeRecord | null> {
    const result = await this.pool.query<PairingCodeRecord>(
      `UPDATE pairing_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1
       RETURNING code_hash AS "codeHash", store_id AS "storeId", role, expires_at AS "expiresAt"`,
      [now, codeHash],
    );
    return result.rows[0] ?? null;
  }

  async pairDevice(request: PairingRequest): Promise<PairingOutcome> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One pairing per device id at a time (also for a code-less demo pairing, which locks no code row).
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pair:${request.device.id}`]);
      let code: PairingFacts['code'] = null;
      if ('codeHash' in request.grant) {
        // FOR UPDATE: two devices racing for one code queue here; the second then sees it used.
        const locked = await client.query<{ codeHash: string; storeId: string; role: string; expiresAt: string; usedAt: string | null; usedByDevice: string | null }>(
          `SELECT code_hash AS "codeHash", store_id AS "storeId", role, expires_at AS "expiresAt", used_at AS "usedAt",
                  used_by_device AS "usedByDevice"
           FROM pairing_codes WHERE code_hash = $1 FOR UPDATE`,
          [request.grant.codeHash],
        );
        const row = locked.rows[0];
        if (row) {
          const usedBy = row.usedByDevice === null ? undefined : (await client.query<{ name: string }>('SELECT name FROM devices WHERE id = $1', [row.usedByDevice])).rows[0];
          code = { ...(row as Omit<NonNullable<PairingFacts['code']>, 'usedByName'>), usedByName: usedBy?.name ?? null };
        }
      }
      const device =
        (
          await client.query<NonNullable<PairingFacts['device']>>(
            'SELECT id, store_id AS "storeId", name, role, created_at AS "createdAt", token_hash AS "tokenHash", revoked_at AS "revokedAt" FROM devices WHERE id = $1',
            [request.device.id],
          )
        ).rows[0] ?? null;
      const action = decidePairing(request, { code, device });
      if (action.do === 'refuse') {
        await client.query('ROLLBACK');
        return action.outcome;
      }
      const d = action.device;
      if (action.do === 'insert') {
        await client.query('INSERT INTO devices (id, store_id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          d.id,
          d.storeId,
          d.name,
          d.role,
          request.tokenHash,
          d.createdAt,
        ]);
      } else {
        // Paired again with a new code: a revocation is lifted.
        await client.query('UPDATE devices SET name = $1, role = $2, token_hash = $3, revoked_at = NULL WHERE id = $4', [d.name, d.role, request.tokenHash, d.id]);
      }
      if (action.markCode && 'codeHash' in request.grant) {
        await client.query('UPDATE pairing_codes SET used_at = $1, used_by_device = $2 WHERE code_hash = $3', [request.now, d.id, request.grant.codeHash]);
      }
      await client.query('COMMIT');
      return { status: 'paired', device: d, again: action.do === 'reissue' };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async addDevice(device: DeviceRecord, tokenHash: string): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO devices (id, store_id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [device.id, device.storeId, device.name, device.role, tokenHash, device.createdAt],
    );
    return result.rowCount === 1;
  }

  async findDeviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null> {
    const result = await this.pool.query<DeviceRecord>(
      'SELECT id, store_id AS "storeId", name, role, created_at AS "createdAt" FROM devices WHERE token_hash = $1',
      [tokenHash],
    );
    return result.rows[0] ?? null;
  }

  async findDeviceStandingByTokenHash(tokenHash: string): Promise<(DeviceRecord & DeviceStanding) | null> {
    const result = await this.pool.query<DeviceRecord & Omit<DeviceStanding, 'reportedSeq'> & { reportedSeq: string }>(
      `SELECT id, store_id AS "storeId", name, role, created_at AS "createdAt", revoked_at AS "revokedAt", last_seen_at AS "lastSeenAt",
              reported_seq::text AS "reportedSeq"
       FROM devices WHERE token_hash = $1`,
      [tokenHash],
    );
    const row = result.rows[0];
    return row ? { ...row, reportedSeq: Number(row.reportedSeq) } : null;
  }

  async noteDeviceContact(deviceId: string, seenAt: string, reportedSeq: number | null): Promise<void> {
    await this.pool.query('UPDATE devices SET last_seen_at = $1, reported_seq = GREATEST(reported_seq, $2) WHERE id = $3', [seenAt, reportedSeq ?? 0, deviceId]);
  }

  async listDevices(storeId: string): Promise<DeviceFigures[]> {
    const result = await this.pool.query<DeviceFiguresRow>(listDevicesSql((n) => `$${n}`, (alias) => `"${alias}"`), [storeId]);
    return Promise.all(result.rows.map((row) => figuresOf(row, (id) => this.contiguousSeq(id))));
  }

  private async contiguousSeq(deviceId: string): Promise<number> {
    const result = await this.pool.query<{ contiguous: string | null }>(contiguousSeqSql((n) => `$${n}`), [deviceId, deviceId]);
    return Number(result.rows[0]?.contiguous ?? 0);
  }

  async revokeDevice(storeId: string, deviceId: string, now: string): Promise<DeviceFigures | null> {
    await this.pool.query('UPDATE devices SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 AND store_id = $3', [now, deviceId, storeId]);
    return (await this.listDevices(storeId)).find((device) => device.id === deviceId) ?? null;
  }

  async appendEvents(rows: EventRow[], receivedAt: string): Promise<AppendOutcome[]> {
    if (rows.length === 0) return [];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const storeId of [...new Set(rows.map((r) => r.storeId))].sort()) {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [storeId]);
      }
      // One statement for the whole batch; WITH ORDINALITY keeps seq numbers in batch order.
      const inserted = await client.query<{ id: string; seq: string }>(
        `INSERT INTO events (id, store_id, device_id, device_seq, hlc, kind, json, received_at)
         SELECT id, store_id, device_id, device_seq, hlc, kind, json, $9
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::int[])
              AS t(id, store_id, device_id, device_seq, hlc, kind, json, ord)
         ORDER BY ord
         ON CONFLICT DO NOTHING
         RETURNING id, seq::text AS seq`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.storeId),
          rows.map((r) => r.deviceId),
          rows.map((r) => r.deviceSeq),
          rows.map((r) => r.hlc),
          rows.map((r) => r.kind),
          rows.map((r) => r.json),
          rows.map((_, i) => i),
          receivedAt,
        ],
      );
      const acceptedSeq = new Map(inserted.rows.map((r) => [r.id, r.seq]));
      const notInserted = rows.filter((r) => !acceptedSeq.has(r.id)).map((r) => r.id);
      const existing = new Map<string, { seq: string; json: string }>();
      if (notInserted.length > 0) {
        const found = await client.query<{ id: string; seq: string; json: string }>(
          'SELECT id, seq::text AS seq, json FROM events WHERE id = ANY($1::text[])',
          [notInserted],
        );
        for (const row of found.rows) existing.set(row.id, row);
      }
      await client.query('COMMIT');
      // Rows inserted by this very batch count as stored, so a repeated id inside it is a duplicate.
      for (const row of rows) {
        const seq = acceptedSeq.get(row.id);
        if (seq !== undefined && !existing.has(row.id)) existing.set(row.id, { seq, json: row.json });
      }
      const claimed = new Set<string>();
      return rows.map((row): AppendOutcome => {
        const seq = acceptedSeq.get(row.id);
        if (seq !== undefined && !claimed.has(row.id)) {
          claimed.add(row.id);
          return { id: row.id, status: 'accepted', cursor: seq };
        }
        const stored = existing.get(row.id);
        if (!stored) return { id: row.id, status: 'rejected', reason: rejectSeqReused(row.deviceId, row.deviceSeq) };
        if (sameJsonContent(stored.json, row.json)) return { id: row.id, status: 'duplicate', cursor: stored.seq };
        return { id: row.id, status: 'rejected', reason: REJECT_ID_REUSED };
      });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async pullEvents(storeId: string, after: string, limit: number, maxBytes = PULL_PAGE_MAX_BYTES): Promise<PullPage> {
    if (parseCursor(after) === null) throw new RangeError(`Invalid cursor: ${after}`);
    // The first limit + 1 events, of which those within the byte budget (the first always); see
    // SIZED_PAGE in sqlite.ts. `total` is how many the window held: more than kept means more.
    // Ordered by sized.seq, the number: a bare `seq` here would be the text column of the output.
    const result = await this.pool.query<{ seq: string; json: string; total: string }>({
      text: `SELECT seq::text AS seq, json, total::text AS total FROM (
               SELECT seq, json, row_number() OVER w AS n, sum(octet_length(json) + 1) OVER w AS upto, count(*) OVER () AS total
               FROM (SELECT seq, json FROM events WHERE store_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3) AS page
               WINDOW w AS (ORDER BY seq ROWS UNBOUNDED PRECEDING)
             ) AS sized
             WHERE n = 1 OR upto <= $4
             ORDER BY sized.seq`,
      values: [storeId, after, limit + 1, maxBytes],
    });
    const page = result.rows.slice(0, limit);
    const last = page[page.length - 1];
    return { events: page.map((r) => r.json), nextCursor: last ? last.seq : after, hasMore: Number(result.rows[0]?.total ?? 0) > page.length };
  }

  async countEvents(storeId: string, after = '0'): Promise<number> {
    if (parseCursor(after) === null) throw new RangeError(`Invalid cursor: ${after}`);
    const result = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE store_id = $1 AND seq > $2', [storeId, after]);
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
