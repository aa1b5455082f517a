/**
 * Writing many rows without one long task (issue 19). IndexedDB copies every row it is given on the
 * page's thread, inside the call that asks for the write: a first start's 120 demo events took one
 * task of 30–40 ms, 120–160 ms on a phone's 4× slower CPU. Written a slice at a time, each slice is
 * asked for in the task where the one before it completed, so no task copies more than a slice.
 */
import type { Table } from 'dexie';

/** 40 rows: a slice of ledger events is copied in well under the 12 ms that a 4× slower CPU makes 50. */
export const PUT_SLICE_ROWS = 40;

/**
 * Puts `rows` into `table` a slice after another. Inside the caller's transaction it stays one
 * transaction (IndexedDB keeps it open while its requests complete), so all or none are stored.
 */
export async function bulkPutInSlices<Row, Key>(table: Table<Row, Key>, rows: readonly Row[], sliceRows = PUT_SLICE_ROWS): Promise<void> {
  for (let start = 0; start < rows.length; start += sliceRows) await table.bulkPut(rows.slice(start, start + sliceRows));
}
