/**
 * One sync round: drain the outbox, then pull. Used by the page (scheduler.ts) and by the service
 * worker's Background Sync handler (sw/sync.ts), under one Web Lock so they never overlap.
 * The outcome is written to `meta` (lastSyncAt, lastSyncError, lastAnsweredAt or lastUnansweredAt,
 * syncingSince while it runs) and announced on the
 * BroadcastChannel, so every open tab shows the same status.
 */
import type { PerpetuaDb } from '../db/db.ts';
import { SYNC_CHANNEL, type SyncBroadcast } from './api-types.ts';
import { drainOutbox } from './drain.ts';
import { withSyncLock } from './lock.ts';
import { pullNewEvents, type HeldEvent, type OnPageStored } from './pull.ts';
import { countOutbox } from './status.ts';
import { createHttpTransport, isDeviceRevoked, SyncHttpError, type SyncTransport } from './transport.ts';

export interface SyncReport {
  pushed: number;
  rejected: number;
  pulled: number;
  pending: number;
}

export class NotEnrolledError extends Error {
  constructor() {
    super('This device is not connected to a server yet; pair it in Settings.');
    this.name = 'NotEnrolledError';
  }
}

/** meta key: the token the server said was revoked. Syncing stops while the device still holds it; pairing again brings a new one. */
export const REVOKED_TOKEN_KEY = 'revokedToken';

export const DEVICE_REVOKED_STATUS =
  'This device was removed from the store by the owner, so it no longer syncs. Nothing on it was deleted: its sales stay here. Ask the owner for a pairing code and pair it again in Settings → Server and sync; then it sends what it still holds.';

export class DeviceRevokedError extends Error {
  constructor() {
    super(DEVICE_REVOKED_STATUS);
    this.name = 'DeviceRevokedError';
  }
}

/** Whether the server revoked the token this device holds (checked before any request, so a revoked device stops calling). */
export async function isRevokedHere(db: PerpetuaDb): Promise<boolean> {
  const [token, revoked] = await db.meta.bulkGet(['deviceToken', REVOKED_TOKEN_KEY]);
  return typeof token?.value === 'string' && token.value === revoked?.value;
}

/** The highest seq among this device's own recorded events (0 before the first): one index key read. */
export async function highestOwnSeq(db: PerpetuaDb): Promise<number> {
  const deviceId = (await db.meta.get('deviceId'))?.value;
  if (typeof deviceId !== 'string') return 0;
  const [last] = await db.events.where('[deviceId+seq]').between([deviceId, -Infinity], [deviceId, Infinity]).reverse().limit(1).keys();
  const seq = Array.isArray(last) ? last[1] : undefined;
  return typeof seq === 'number' ? seq : 0;
}

export interface SyncOptions {
  /** Defaults to an HTTP transport built from meta 'serverUrl' (or this origin) and 'deviceToken'. */
  transport?: SyncTransport;
  fetch?: typeof fetch;
  timeoutMs?: number;
  pushBatchSize?: number;
  pullPageSize?: number;
  nowMs?: () => number;
  /** Set false in tests that run several "devices" in one process. */
  broadcast?: boolean;
  /** Each pulled page once stored (the page's projection folds it from memory): src/sync/pull.ts. */
  onPageStored?: OnPageStored;
  /** Events this device already holds, skipped in the pull (src/sync/pull.ts). */
  held?: HeldEvent;
}

export async function transportFromMeta(db: PerpetuaDb, options: Pick<SyncOptions, 'fetch' | 'timeoutMs'> = {}): Promise<SyncTransport> {
  const token = (await db.meta.get('deviceToken'))?.value as string | undefined;
  if (!token) throw new NotEnrolledError();
  const serverUrl = ((await db.meta.get('serverUrl'))?.value as string | undefined) ?? globalThis.location?.origin;
  if (!serverUrl) throw new NotEnrolledError();
  return createHttpTransport({
    baseUrl: serverUrl,
    token,
    ownSeq: () => highestOwnSeq(db),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

export async function syncOnce(db: PerpetuaDb, options: SyncOptions = {}): Promise<SyncReport> {
  return withSyncLock(async () => {
    const nowMs = options.nowMs ?? Date.now;
    await db.meta.put({ key: 'syncingSince', value: new Date(nowMs()).toISOString() });
    try {
      if (await isRevokedHere(db)) throw new DeviceRevokedError();
      const transport = options.transport ?? (await transportFromMeta(db, options));
      const drained = await drainOutbox(db, transport, options.pushBatchSize ? { batchSize: options.pushBatchSize } : {});
      const pulled = await pullNewEvents(db, transport, {
        nowMs,
        ...(options.pullPageSize ? { pageSize: options.pullPageSize } : {}),
        ...(options.onPageStored ? { onPageStored: options.onPageStored } : {}),
        ...(options.held ? { held: options.held } : {}),
      });
      const pending = (await countOutbox(db)).pending;
      const at = new Date(nowMs()).toISOString();
      await db.meta.bulkPut([
        { key: 'lastSyncAt', value: at },
        { key: 'lastAnsweredAt', value: at },
        { key: 'lastSyncError', value: null },
        { key: 'syncingSince', value: null },
      ]);
      const report = { pushed: drained.acknowledged, rejected: drained.rejected, pulled: pulled.pulled, pending };
      if (options.broadcast !== false) {
        if (pulled.pulled > 0) announce({ type: 'pulled', count: pulled.pulled, cursor: pulled.cursor });
        announce({ type: 'synced', ...report, at });
      }
      return report;
    } catch (error) {
      const message = describeSyncError(error);
      // The status bar's "Online" / "Server unreachable": did the server answer this attempt at all?
      const answer =
        error instanceof SyncHttpError ? [{ key: error.status === 0 ? 'lastUnansweredAt' : 'lastAnsweredAt', value: new Date(nowMs()).toISOString() }] : [];
      // Revoked: remember which token, so no further request is made with it (nothing local is deleted).
      const revoked = isDeviceRevoked(error) ? [{ key: REVOKED_TOKEN_KEY, value: (await db.meta.get('deviceToken'))?.value ?? null }] : [];
      await db.meta.bulkPut([{ key: 'lastSyncError', value: message }, { key: 'syncingSince', value: null }, ...answer, ...revoked]);
      if (options.broadcast !== false) announce({ type: 'sync-failed', error: message, pending: (await countOutbox(db)).pending });
      throw error;
    }
  });
}

/** The last error in plain words, for the status bar. */
export function describeSyncError(error: unknown): string {
  if (error instanceof DeviceRevokedError || isDeviceRevoked(error)) return DEVICE_REVOKED_STATUS;
  if (error instanceof SyncHttpError) {
    if (error.status === 401) return `The server no longer accepts this device (${error.message}) Pair it again in Settings.`;
    if (error.status === 0) return `${error.message} Sales are kept on this device and will be sent later.`;
    if (error.status >= 500) return `The server had a problem (${error.message}). Sales are kept on this device; retrying later.`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function announce(message: SyncBroadcast): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  channel.postMessage(message);
  channel.close();
}
