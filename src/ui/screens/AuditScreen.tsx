/** Stand-in (issue 17 contract): replaced whole by its owner. */
import type { AppContext } from '../app-context.ts';

export function AuditScreen({ app }: { app: AppContext }) {
  void app;
  return (
    <section class="screen" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
    </section>
  );
}
