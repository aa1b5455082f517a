/**
 * The owner's home (issue 15): today's business, stock health and alerts, phone first. Each part is
 * its own component in `src/ui/owner/`, computed from this device's own books by `src/domain`
 * code, so it works offline. A staff device sees the sales figures without cost, margin or value.
 */
import type { AppContext } from '../app-context.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import { usePartsInTurn, useProjection } from '../hooks/index.ts';
import { SalesFigures } from '../owner/SalesFigures.tsx';
import { StockAlerts } from '../owner/StockAlerts.tsx';
import { StockHealth } from '../owner/StockHealth.tsx';
import './today-screen.css';

/**
 * What Today draws after the sales figures, one part per task (usePartsInTurn), in the page's order:
 * on a phone the whole screen drawn at once was one long task, and its first figures painted last.
 */
const LATER_PARTS = ['charts', 'rankings', 'stock alerts', 'stock health'] as const;

export function TodayScreen({ app }: { app: AppContext }) {
  // The sales figures wait for the books to be folded; the stock parts under them come after. Drawn
  // earlier, they were pushed down the screen when the figures arrived (a layout shift of 0.2 on a
  // first start, issue 19).
  const books = useProjection(app);
  const shown = usePartsInTurn(books !== null, LATER_PARTS.length);
  const has = (part: (typeof LATER_PARTS)[number]) => LATER_PARTS.indexOf(part) < shown;
  return (
    <section class="screen today" aria-labelledby="today-title">
      <h1 id="today-title">Today</h1>
      <SalesFigures app={app} charts={has('charts')} rankings={has('rankings')} />
      {has('stock alerts') && (
        <>
          {/* The stock parts count only what this device holds: said while its history is still arriving. */}
          <StillSyncingNotice app={app} />
          <StockAlerts app={app} />
        </>
      )}
      {has('stock health') && <StockHealth app={app} />}
    </section>
  );
}
