/**
 * Every screen of the app, in one list. The first few sit in the top bar (`inBar`); the rest are
 * reached from "More", so the bar stays usable one-handed on a phone. Add a screen with one entry;
 * every screen but Sell loads its code when first opened (lazyScreen).
 */
import type { ComponentChildren } from 'preact';
import type { AppContext } from '../app-context.ts';
import { SellScreen } from './SellScreen.tsx';
import { lazyScreen } from './lazy-screen.tsx';

export interface ScreenEntry {
  id: string;
  label: string;
  /** One line for the "More" menu: what the screen is for. */
  purpose: string;
  inBar: boolean;
  render(app: AppContext): ComponentChildren;
  /** Starts loading the screen's code before it is drawn (screens whose code loads lazily). */
  preload?(): void;
}

/** A screen whose code loads when it is first drawn, or when `preload` asks. */
function lazyEntry(entry: Omit<ScreenEntry, 'render' | 'preload'>, load: Parameters<typeof lazyScreen>[0]): ScreenEntry {
  const screen = lazyScreen(load);
  return { ...entry, render: screen, preload: screen.preload };
}

export const SCREENS: ScreenEntry[] = [
  { id: 'sell', label: 'Sell', purpose: 'Scan, take payment, print or share the receipt', inBar: true, render: (s) => <SellScreen app={s} /> },
  // Today draws its figures only once the books are folded: the fold's code is asked for with the
  // screen's, not one network trip after the other once it is drawn (issue 19: LCP).
  lazyEntry({ id: 'today', label: 'Today', purpose: "Today's business, stock health and alerts (the owner's home)", inBar: true }, () =>
    Promise.all([import('./TodayScreen.tsx'), import('../../db/projection.ts')]).then(([m]) => m.TodayScreen),
  ),
  lazyEntry({ id: 'lookup', label: 'Look up', purpose: 'Stock per location, price and last delivery of one product', inBar: true }, () => import('./LookupScreen.tsx').then((m) => m.LookupScreen)),
  lazyEntry({ id: 'stock', label: 'Stock', purpose: 'On hand per location, valued at cost', inBar: true }, () => import('./StockScreen.tsx').then((m) => m.StockScreen)),
  lazyEntry({ id: 'sales', label: 'Sales', purpose: "Today's sales, cost of goods and margin; void a sale", inBar: true }, () => import('./SalesScreen.tsx').then((m) => m.SalesScreen)),
  lazyEntry({ id: 'count', label: 'Counts', purpose: 'Count stock by scanning (blind or not), review variances, approve', inBar: false }, () => import('./CountScreen.tsx').then((m) => m.CountScreen)),
  lazyEntry({ id: 'shift', label: 'Shift', purpose: 'Open and close the till with a float; cash in and out; X and Z reports', inBar: false }, () => import('./ShiftScreen.tsx').then((m) => m.ShiftScreen)),
  lazyEntry({ id: 'receive', label: 'Receive', purpose: 'Purchase orders and deliveries: receive stock at its cost', inBar: false }, () => import('./ReceiveScreen.tsx').then((m) => m.ReceiveScreen)),
  lazyEntry({ id: 'transfers', label: 'Transfers', purpose: 'Send stock to another location, receive it there, see differences', inBar: false }, () => import('./TransfersScreen.tsx').then((m) => m.TransfersScreen)),
  lazyEntry({ id: 'returns', label: 'Returns', purpose: 'Return or exchange items from a receipt, restock or write off', inBar: false }, () => import('./ReturnsScreen.tsx').then((m) => m.ReturnsScreen)),
  lazyEntry({ id: 'product', label: 'Edit product', purpose: 'Change a product’s name, price, cost, barcodes or tax rate, or stop selling it (owner)', inBar: false }, () => import('./ProductScreen.tsx').then((m) => m.ProductScreen)),
  lazyEntry({ id: 'reorder', label: 'Reorder', purpose: 'What to order and what to move between locations, from forecasts of each product’s sales (owner)', inBar: false }, () => import('./ReorderScreen.tsx').then((m) => m.ReorderScreen)),
  lazyEntry({ id: 'exports', label: 'Exports', purpose: 'Files for the accountant: journal (Xero, QuickBooks), trial balance, sales; stock at a date (owner)', inBar: false }, () => import('./ExportsScreen.tsx').then((m) => m.ExportsScreen)),
  lazyEntry({ id: 'staff', label: 'Staff', purpose: 'Who works the tills: names, roles and PINs (owner)', inBar: false }, () => import('./StaffScreen.tsx').then((m) => m.StaffScreen)),
  lazyEntry({ id: 'audit', label: 'Audit trail', purpose: 'Voids, refunds, discounts, cash moves, approvals and wrong PINs, by member (owner)', inBar: false }, () => import('./AuditScreen.tsx').then((m) => m.AuditScreen)),
  lazyEntry({ id: 'devices', label: 'Devices', purpose: 'Every paired device, its last sync; revoke a lost one (owner)', inBar: false }, () => import('./DevicesScreen.tsx').then((m) => m.DevicesScreen)),
  lazyEntry({ id: 'settings', label: 'Settings', purpose: 'Store, device, sync and scanner settings', inBar: false }, () => import('./SettingsScreen.tsx').then((m) => m.SettingsScreen)),
];

/** The screen a hash route names ('#/today?x' → 'today'); '' for none. */
export function routeOf(hash: string): string {
  return hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

// The screen the app opens on asks for its code now, while the app's own code runs and the database
// opens, rather than after them: on a slow phone network each wait is a round trip or more. Today,
// the owner's home, drew 1–2 s later without it (issue 19). Sell's code is in the first chunk.
if (typeof location !== 'undefined') SCREENS.find((s) => s.id === routeOf(location.hash))?.preload?.();
