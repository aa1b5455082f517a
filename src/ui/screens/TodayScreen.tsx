/**
 * The owner's home (issue 15): today's business, stock health and alerts, phone first. Each part is
 * its own component in `src/ui/owner/`, computed from this device's own books by `src/domain`
 * code, so it works offline. A staff device sees the sales figures without cost, margin or value.
 */
import { useRef } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { StillSyncingMark } from '../components/SyncProgress.tsx';
import { usePartsAsReached, useProjection } from '../hooks/index.ts';
import { SalesFigures } from '../owner/SalesFigures.tsx';
import { StockAlerts } from '../owner/StockAlerts.tsx';
import { StockHealth } from '../owner/StockHealth.tsx';
import './today-screen.css';

/**
 * What Today draws after the sales figures, in the page's order, one part per task and each once
 * its place is near the screen (usePartsAsReached): on a phone the whole screen drawn at once was
 * one long task, its first figures painted last, and all of these are below its first screen.
 */
const LATER_PARTS = ['charts', 'rankings', 'stock alerts', 'stock health'] as const;

export function TodayScreen({ app }: { app: AppContext }) {
  // The sales figures wait for the books to be folded; the stock parts under them come after. Drawn
  // earlier, they were pushed down the screen when the figures arrived (a layout shift of 0.2 on a
  // first start, issue 19).
  const books = useProjection(app);
  const nextPart = useRef<HTMLDivElement>(null);
  const shown = usePartsAsReached(books !== null, LATER_PARTS.length, nextPart);
  const has = (part: (typeof LATER_PARTS)[number]) => LATER_PARTS.indexOf(part) < shown;
  return (
    <section class="screen today" aria-labelledby="today-title">
      <h1 id="today-title">Today</h1>
      <SalesFigures app={app} charts={has('charts')} rankings={has('rankings')} />
      {/* The stock parts count only what this device holds: each is marked while its history is still arriving. */}
      {has('stock alerts') && (
        <div class="stock-part">
          <StockAlerts app={app} />
          <StillSyncingMark app={app} />
        </div>
      )}
      {has('stock health') && (
        <div class="stock-part">
          <StockHealth app={app} />
          <StillSyncingMark app={app} />
        </div>
      )}
      <div ref={nextPart} class="next-part" aria-hidden="true" />
    </section>
  );
}
