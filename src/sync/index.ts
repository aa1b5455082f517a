/** Client sync: outbox drain, pull, status, pairing, and the page's scheduler. */
export * from './api-types.ts';
export { retryDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
export { drainOutbox, retryRejected, DEFAULT_PUSH_BATCH, type DrainReport } from './drain.ts';
export { enrollThisDevice, NotPerpetuaServerError } from './enroll.ts';
export { withSyncLock } from './lock.ts';
export { pullNewEvents, type PullReport } from './pull.ts';
export { requestBackgroundSync, startSyncScheduler, type SchedulerOptions, type SyncScheduler } from './scheduler.ts';
export { countOutbox, listRejected, readSyncStatus, type SyncStatus } from './status.ts';
export {
  describeSyncError,
  DEVICE_REVOKED_STATUS,
  DeviceRevokedError,
  highestOwnSeq,
  isRevokedHere,
  NotEnrolledError,
  syncOnce,
  transportFromMeta,
  type SyncOptions,
  type SyncReport,
} from './sync-once.ts';
export { createHttpTransport, DEVICE_SEQ_HEADER, isDeviceRevoked, SyncHttpError, type SyncTransport } from './transport.ts';
