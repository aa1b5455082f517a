/**
 * The cashier's shift open on this device. The rule is the app's (`openShiftOf` in
 * src/app/queries.ts, which the commands use to stamp sales and refunds); this reads it from the
 * app's current books.
 */
import { openShiftOf } from '../app/queries.ts';
import type { AppContext } from './app-context.ts';

export { openShiftOf };

/** The id of this device's open shift, or undefined when none is open (or the books are still loading). */
export function currentShiftId(app: AppContext): string | undefined {
  const books = app.projection?.books;
  return books ? openShiftOf(books, app.deviceId)?.shiftId : undefined;
}
