/** Stand-in (issue 17 contract): replaced whole by its owner. */
import type { AppContext } from '../app-context.ts';

export function StaffScreen({ app }: { app: AppContext }) {
  void app;
  return (
    <section class="screen" aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
    </section>
  );
}
