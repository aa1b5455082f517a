/** The Today screen's sales figures (issue 15). A placeholder until its part lands. */
import type { AppContext } from '../app-context.ts';

export function SalesFigures(_props: { app: AppContext }) {
  return (
    <section class="owner-part" aria-labelledby="sales-figures-title">
      <h2 id="sales-figures-title">Sales figures</h2>
    </section>
  );
}
