/** The money of a return, shared by the journal, the shift report and the Returns screen. */
import type { EventOf, Minor } from './events.ts';

/** What a return refunds for its lines, incl. tax, before any cash rounding. */
export function refundTotal(lines: readonly { refund: Minor }[]): Minor {
  return lines.reduce((sum, line) => sum + line.refund, 0);
}

/** What actually went back to the customer: for cash, after rounding to the drawer's coins. */
export function refundPaidOut(returned: EventOf<'return'>): Minor {
  return refundTotal(returned.lines) + (returned.cashRounding ?? 0);
}
