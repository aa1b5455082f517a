/** The Today screen's stock health (issue 15). A placeholder until its part lands. */
import type { AppContext } from '../app-context.ts';

export function StockHealth(_props: { app: AppContext }) {
  return (
    <section class="owner-part" aria-labelledby="stock-health-title">
      <h2 id="stock-health-title">Stock health</h2>
    </section>
  );
}
