/**
 * The number of stock alerts (low and dead stock) for the owner's navigation badge, 0 on a staff
 * device. The watch itself (stock-alert-watch.ts, which also sends the low-stock notifications)
 * loads after the first paint, on owner devices only: it is not first-screen code.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';

export function useStockAlertCount(app: AppContext): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (app.role !== 'owner') return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void import('./stock-alert-watch.ts').then(({ watchStockAlerts }) => {
      if (!stopped) stop = watchStockAlerts(app, setCount);
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [app]);
  return count;
}
