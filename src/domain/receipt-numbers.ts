/**
 * How a receipt number is written. The service worker's copy of the ledger writer reads it too
 * (src/db/ledger-writer.ts restores the next number from the device's latest sale), so it lives in
 * the domain, which every bundle may import.
 */

/** A short, readable device code for receipt numbers: the last 4 characters of the device id. */
export function deviceCode(deviceId: string): string {
  return deviceId.slice(-4).toUpperCase();
}

/**
 * The receipt number of this device's `counter`-th sale: its device code, then the counter. The
 * counter is gap-free per device (issue 14, item 5): 1 for the first sale, then one more than the
 * latest sale's, whatever other events came between; the device's one writer hands it out
 * (src/db/ledger-writer.ts). Receipts printed before this numbering, when the counter was the
 * event's sequence number, keep their numbers and are found as before.
 */
export function receiptNumber(deviceId: string, counter: number): string {
  return `${deviceCode(deviceId)}-${counter}`;
}

/** The counter of a receipt number (`9DBB-14` → 14); undefined for a number not made by `receiptNumber`. */
export function receiptCounterOf(receiptNo: string): number | undefined {
  const match = /-(\d+)$/.exec(receiptNo);
  return match ? Number(match[1]) : undefined;
}
