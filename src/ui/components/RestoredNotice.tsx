/**
 * What a start says once about how the device came to hold what it holds:
 * - restored from the backup copy outside the database (src/db/journal.ts): the browser had deleted
 *   or lost the database, and the device's unsynced events and pairing came back;
 * - started over (src/db/start-over.ts): pairing with another store emptied it, and the page reloaded.
 */
import { useState } from 'preact/hooks';
import { restoredText, type RestoreReport } from '../../db/journal.ts';
import type { StartedOver } from '../../db/meta-keys.ts';

function StartNotice({ text, testId }: { text: string; testId: string }) {
  const [shown, setShown] = useState(true);
  if (!shown) return null;
  return (
    <div class="notice info restored-notice" role="status" data-testid={testId}>
      <p>{text}</p>
      <button type="button" onClick={() => setShown(false)}>
        OK
      </button>
    </div>
  );
}

export function RestoredNotice({ report }: { report: RestoreReport | null }) {
  return report ? <StartNotice text={restoredText(report)} testId="restored-notice" /> : null;
}

export function startedOverText(startedOver: StartedOver): string {
  const before = startedOver.held === 'demo' ? 'the demo store’s products, stock and sales were' : 'the books of the store it was paired with before were';
  return `Paired with this store: ${before} cleared from this device, so they do not mix with this store’s. Its products and history are arriving (the status bar shows how far).`;
}

export function StartedOverNotice({ startedOver }: { startedOver: StartedOver | null }) {
  return startedOver ? <StartNotice text={startedOverText(startedOver)} testId="started-over-notice" /> : null;
}
