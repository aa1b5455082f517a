/**
 * The demo store a new user finds on first start: its id, currency and two locations. Its products
 * and seed events are in demo-catalog.ts, apart: only a demo device's first start (src/db/seed.ts,
 * which loads it then) and the server need them, and building them is work every start of a real
 * store's device would otherwise do for nothing when the app's modules are evaluated.
 */
import { DEFAULT_LOCATIONS } from './locations.ts';

export const DEMO_STORE_ID = 'demo-store';
export const DEMO_SEED_DEVICE = 'demo-seed';
export const DEMO_CURRENCY = 'EUR';

/** Every store's two starting locations (locations.ts), in the demo store. */
export const DEMO_LOCATIONS = [
  { ...DEFAULT_LOCATIONS[0], storeId: DEMO_STORE_ID },
  { ...DEFAULT_LOCATIONS[1], storeId: DEMO_STORE_ID },
] as const;

/**
 * The store a device records its events for: the one it is paired with, else the one its locations
 * were seeded for at its first start, else the demo store. The app and the catalog import both ask.
 */
export function recordingStoreId(pairedStoreId: string | undefined, locations: readonly { storeId: string }[]): string {
  return pairedStoreId ?? locations[0]?.storeId ?? DEMO_STORE_ID;
}
