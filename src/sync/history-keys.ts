/**
 * The meta keys of a device's pulled history (issue 19), in a module of their own: pairing
 * (enroll.ts) resets them, and importing status.ts for two strings would split it out of the first
 * screen's chunk into one more file to load.
 */

/** The current or last pull run's progress (src/sync/pull.ts writes it with each page). */
export const PULL_PROGRESS_KEY = 'pullProgress';
/** True once the device holds the store's whole history since it was paired. */
export const HISTORY_COMPLETE_KEY = 'historyComplete';
