/** Stand-in (issue 17 contract): replaced whole by its owner. */
import type { AppContext } from '../app-context.ts';

export function DevicesScreen({ app }: { app: AppContext }) {
  void app;
  return (
    <section class="screen" aria-labelledby="devices-title">
      <h1 id="devices-title">Devices</h1>
    </section>
  );
}
