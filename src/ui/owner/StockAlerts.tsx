/** The Today screen's stock alerts (issue 15). A placeholder until its part lands. */
import type { AppContext } from '../app-context.ts';

export function StockAlerts(_props: { app: AppContext }) {
  return (
    <section class="owner-part" aria-labelledby="stock-alerts-title">
      <h2 id="stock-alerts-title">Stock alerts</h2>
    </section>
  );
}
