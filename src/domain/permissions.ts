/**
 * Which events only the owner's device may record. A store's staff sell, receive, count, return and
 * transfer; the owner decides what the catalog and prices are, what is ordered, and which count
 * becomes the stock. The server refuses these events from any other device, and the screens do not
 * offer them there, so a staff phone cannot change prices or approve its own count.
 */
import type { EventKind } from './events.ts';

/** What a paired device is: the owner's, or a staff device paired with a code the owner made. */
export type DeviceRole = 'owner' | 'device';

const OWNER_ONLY: Partial<Record<EventKind, string>> = {
  'product-defined': 'create products',
  'products-defined': 'create products',
  'product-changed': 'change products or prices',
  'location-defined': 'add or rename locations',
  'opening-balance': 'record opening balances',
  'purchase-order-created': 'create purchase orders',
  'purchase-order-closed': 'close purchase orders',
  'count-session-approved': 'approve counts',
};

/** Why `role` may not record `kind`, in words for people; undefined when it may. */
export function refusalFor(role: DeviceRole, kind: EventKind): string | undefined {
  const action = OWNER_ONLY[kind];
  return role === 'owner' || action === undefined ? undefined : `Only the owner’s device can ${action}.`;
}
