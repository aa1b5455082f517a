/**
 * Says what a start restored from the backup copy outside the database (src/db/journal.ts): the
 * browser had deleted or lost the database, and the device's unsynced events and pairing came back.
 */
import { useState } from 'preact/hooks';
import { restoredText, type RestoreReport } from '../../db/journal.ts';

export function RestoredNotice({ report }: { report: RestoreReport | null }) {
  const [shown, setShown] = useState(report !== null);
  if (!report || !shown) return null;
  return (
    <div class="notice info restored-notice" role="status" data-testid="restored-notice">
      <p>{restoredText(report)}</p>
      <button type="button" onClick={() => setShown(false)}>
        OK
      </button>
    </div>
  );
}
