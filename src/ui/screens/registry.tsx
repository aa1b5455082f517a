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
}

export const SCREENS: ScreenEntry[] = [
  { id: 'sell', label: 'Sell', purpose: 'Scan, take payment, print or share the receipt', inBar: true, render: (s) => <SellScreen app={s} /> },
  { id: 'today', label: 'Today', purpose: "Today's business, stock health and alerts (the owner's home)", inBar: true, render: lazyScreen(() => import('./TodayScreen.tsx').then((m) => m.TodayScreen)) },
  { id: 'lookup', label: 'Look up', purpose: 'Stock per location, price and last delivery of one product', inBar: true, render: lazyScreen(() => import('./LookupScreen.tsx').then((m) => m.LookupScreen)) },
  { id: 'stock', label: 'Stock', purpose: 'On hand per location, valued at cost', inBar: true, render: lazyScreen(() => import('./StockScreen.tsx').then((m) => m.StockScreen)) },
  { id: 'sales', label: 'Sales', purpose: "Today's sales, cost of goods and margin; void a sale", inBar: true, render: lazyScreen(() => import('./SalesScreen.tsx').then((m) => m.SalesScreen)) },
  { id: 'count', label: 'Counts', purpose: 'Count stock by scanning (blind or not), review variances, approve', inBar: false, render: lazyScreen(() => import('./CountScreen.tsx').then((m) => m.CountScreen)) },
  { id: 'shift', label: 'Shift', purpose: 'Open and close the till with a float; cash in and out; X and Z reports', inBar: false, render: lazyScreen(() => import('./ShiftScreen.tsx').then((m) => m.ShiftScreen)) },
  { id: 'receive', label: 'Receive', purpose: 'Purchase orders and deliveries: receive stock at its cost', inBar: false, render: lazyScreen(() => import('./ReceiveScreen.tsx').then((m) => m.ReceiveScreen)) },
  { id: 'transfers', label: 'Transfers', purpose: 'Send stock to another location, receive it there, see differences', inBar: false, render: lazyScreen(() => import('./TransfersScreen.tsx').then((m) => m.TransfersScreen)) },
  { id: 'returns', label: 'Returns', purpose: 'Return or exchange items from a receipt, restock or write off', inBar: false, render: lazyScreen(() => import('./ReturnsScreen.tsx').then((m) => m.ReturnsScreen)) },
  { id: 'product', label: 'Edit product', purpose: 'Change a product’s name, price, cost, barcodes or tax rate, or stop selling it (owner)', inBar: false, render: lazyScreen(() => import('./ProductScreen.tsx').then((m) => m.ProductScreen)) },
  { id: 'reorder', label: 'Reorder', purpose: 'What to order and what to move between locations, from forecasts of each product’s sales (owner)', inBar: false, render: lazyScreen(() => import('./ReorderScreen.tsx').then((m) => m.ReorderScreen)) },
  { id: 'exports', label: 'Exports', purpose: 'Files for the accountant: journal (Xero, QuickBooks), trial balance, sales; stock at a date (owner)', inBar: false, render: lazyScreen(() => import('./ExportsScreen.tsx').then((m) => m.ExportsScreen)) },
  { id: 'staff', label: 'Staff', purpose: 'Who works the tills: names, roles and PINs (owner)', inBar: false, render: lazyScreen(() => import('./StaffScreen.tsx').then((m) => m.StaffScreen)) },
  { id: 'audit', label: 'Audit trail', purpose: 'Voids, refunds, discounts, cash moves, approvals and wrong PINs, by member (owner)', inBar: false, render: lazyScreen(() => import('./AuditScreen.tsx').then((m) => m.AuditScreen)) },
  { id: 'devices', label: 'Devices', purpose: 'Every paired device, its last sync; revoke a lost one (owner)', inBar: false, render: lazyScreen(() => import('./DevicesScreen.tsx').then((m) => m.DevicesScreen)) },
  { id: 'settings', label: 'Settings', purpose: 'Store, device, sync and scanner settings', inBar: false, render: lazyScreen(() => import('./SettingsScreen.tsx').then((m) => m.SettingsScreen)) },
];
