/**
 * Says what a start restored from the backup copy outside the database (src/db/journal.ts): the
 * browser had deleted or lost the database, and the device's unsynced events and pairing came back.
 */
import { useState } from 'preact/hooks';
import type { RestoreReport } from '../../db/journal.ts';

/** "2 sales and 1 other change", "this device's pairing", or both. */
export function restoredText(report: RestoreReport): string {
  const sales = report.events.filter((event) => event.kind === 'sale').length;
  const others = report.events.length - sales;
  const parts = [
    ...(sales > 0 ? [`${sales} ${sales === 1 ? 'sale' : 'sales'}`] : []),
    ...(others > 0 ? [`${others} other ${others === 1 ? 'change' : 'changes'}`] : []),
  ];
  const events = parts.length > 0 ? `${parts.join(' and ')} not yet synced` : '';
  const identity = report.identity ? "this device's identity and pairing" : '';
  const what = [events, identity].filter((part) => part !== '').join(', and ');
  const next = report.events.length > 0 ? 'Nothing to do: they sync with the server as usual.' : 'Nothing to do: the device syncs as usual.';
  return `This device's database was missing data (the browser may have deleted it after a crash). Restored from the backup copy kept on this device: ${what}. ${next}`;
}

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
