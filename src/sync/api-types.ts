/**
 * The wire format of the sync API (src/server/app.ts), as seen by devices. Kept here rather than
 * imported from src/server so the browser bundle never pulls in Node code.
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { DeviceRole } from '../domain/permissions.ts';

export type PushResult =
  | { id: string; status: 'accepted'; cursor: string }
  | { id: string; status: 'duplicate'; cursor: string }
  | { id: string; status: 'rejected'; reason: string };

export interface PushResponse {
  results: PushResult[];
  accepted: number;
  duplicate: number;
  rejected: number;
}

/** 422: some events failed validation; nothing of the batch was stored. */
export interface InvalidEventsResponse {
  error: string;
  rejected: { index: number; id: string | null; reason: string }[];
}

export interface PullResponse {
  events: LedgerEvent[];
  cursor: string;
  hasMore: boolean;
  /**
   * Events the server holds after `cursor` as this page was read: sent only when the request asks
   * (`count=1`, the first page of a pull run), so a new device can say "X of Y" (issue 19).
   */
  remaining?: number;
}

/** A pull page as the transport hands it over: the JSON, and the Blob it was read from (kept as sent by pull.ts). */
export interface PulledAnswer extends PullResponse {
  asSent?: Blob;
}

/** A pull page's end as its headers name it, before its body has come in (src/sync/pull.ts). */
export interface PulledPageHead {
  cursor: string;
  hasMore: boolean;
  /** A counted page (a run's first): its events and all after it, as the server counted them. */
  total?: number;
}

export interface EnrollResponse {
  deviceId: string;
  token: string;
  storeId: string;
  /** A server from before the rename says 'device' for a staff device: read it with `deviceRoleOf`. */
  role: DeviceRole | 'device';
}

export const SYNC_CHANNEL = 'perpetua-sync';
export const BACKGROUND_SYNC_TAG = 'perpetua-outbox';
export const SYNC_LOCK = 'perpetua-sync';

/** Messages on the BroadcastChannel 'perpetua-sync', from whichever context ran the sync. */
export type SyncBroadcast =
  | { type: 'pulled'; count: number; cursor: string }
  | { type: 'synced'; pushed: number; rejected: number; pulled: number; pending: number; at: string }
  | { type: 'sync-failed'; error: string; pending: number };
