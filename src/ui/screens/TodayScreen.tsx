/**
 * The owner's home (issue 15): today's business, stock health and alerts, phone first. Each part is
 * its own component in `src/ui/owner/`, computed from this device's own books by `src/domain`
 * code, so it works offline. A staff device sees the sales figures without cost, margin or value.
 */
import type { AppContext } from '../app-context.ts';
import { SalesFigures } from '../owner/SalesFigures.tsx';
import { StockAlerts } from '../owner/StockAlerts.tsx';
import { StockHealth } from '../owner/StockHealth.tsx';
import './today-screen.css';

export function TodayScreen({ app }: { app: AppContext }) {
  return (
    <section class="screen today" aria-labelledby="today-title">
      <h1 id="today-title">Today</h1>
      <SalesFigures app={app} />
      <StockAlerts app={app} />
      <StockHealth app={app} />
    </section>
  );
}
