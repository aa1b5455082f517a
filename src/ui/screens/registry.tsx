/**
 * Every screen of the app, in one list. The first few sit in the top bar (`inBar`); the rest are
 * reached from "More", so the bar stays usable one-handed on a phone. Add a screen with one entry.
 */
import type { ComponentChildren } from 'preact';
import type { Session } from '../session.ts';
import { SellScreen } from './SellScreen.tsx';
import { LookupScreen } from './LookupScreen.tsx';
import { StockScreen } from './StockScreen.tsx';
import { SalesScreen } from './SalesScreen.tsx';
import { SettingsScreen } from './SettingsScreen.tsx';

export interface ScreenEntry {
  id: string;
  label: string;
  /** One line for the "More" menu: what the screen is for. */
  purpose: string;
  inBar: boolean;
  render(session: Session): ComponentChildren;
}

export const SCREENS: ScreenEntry[] = [
  { id: 'sell', label: 'Sell', purpose: 'Scan, take payment, print or share the receipt', inBar: true, render: (s) => <SellScreen session={s} /> },
  { id: 'lookup', label: 'Look up', purpose: 'Stock per location, price and last delivery of one product', inBar: true, render: (s) => <LookupScreen session={s} /> },
  { id: 'stock', label: 'Stock', purpose: 'On hand per location, valued at cost', inBar: true, render: (s) => <StockScreen session={s} /> },
  { id: 'sales', label: 'Sales', purpose: "Today's sales, cost of goods and margin; void a sale", inBar: true, render: (s) => <SalesScreen session={s} /> },
  { id: 'settings', label: 'Settings', purpose: 'Store, device, sync and scanner settings', inBar: false, render: (s) => <SettingsScreen session={s} /> },
];
