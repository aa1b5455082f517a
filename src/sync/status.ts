/** What the status bar shows: pending count, set-aside events, last successful sync, last error. */
import type { PerpetuaDb } from '../db/db.ts';

export interface SyncStatus {
  pending: number;
  rejected: number;
  /** ISO 8601 time of the last sync that completed, or null if never. */
  lastSyncAt: string | null;
  /** The last failure in plain words; null once a sync succeeds. */
  lastSyncError: string | null;
  enrolled: boolean;
}

export async function countOutbox(db: PerpetuaDb): Promise<{ pending: number; rejected: number }> {
  const [pending, rejected] = await Promise.all([db.unsent.count(), db.setAside.count()]);
  return { pending, rejected };
}

export async function readSyncStatus(db: PerpetuaDb): Promise<SyncStatus> {
  const [counts, lastSyncAt, lastSyncError, token] = await Promise.all([
    countOutbox(db),
    db.meta.get('lastSyncAt'),
    db.meta.get('lastSyncError'),
    db.meta.get('deviceToken'),
  ]);
  return {
    ...counts,
    lastSyncAt: (lastSyncAt?.value as string | null | undefined) ?? null,
    lastSyncError: (lastSyncError?.value as string | null | undefined) ?? null,
    enrolled: typeof token?.value === 'string',
  };
}

/** Events set aside by the server, with its reasons, for the owner's review screen. */
export async function listRejected(db: PerpetuaDb): Promise<{ eventId: string; reason: string; kind: string | undefined }[]> {
  const rows = (await db.setAside.toArray()).sort((a, b) => a.seq - b.seq);
  const events = await db.events.bulkGet(rows.map((row) => row.eventId));
  return rows.map((row, i) => ({ eventId: row.eventId, reason: row.reason, kind: events[i]?.kind }));
}
