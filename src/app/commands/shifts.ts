/**
 * The cashier's drawer: a shift opened with a float, cash moved in or out during it, and closed with
 * the cash counted. Each acts on this device's open shift, with staff the signed-in member's own (see `openShiftOf`).
 */
import type { Books } from '../../domain/books/index.ts';
import type { Minor } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { shiftReport } from '../../domain/shifts.ts';
import { openShiftOf } from '../queries.ts';
import { accept, BOOKS_LOADING, defineCommand, isAmount, refuse, type CommandContext, type CommandResult, type FieldError } from './command.ts';

export interface OpenShiftInput {
  /** Cash in the drawer at the start, minor units. */
  float: Minor;
}

export const openShift = defineCommand<OpenShiftInput>({
  name: 'open-shift',
  records: ['shift-opened'],
  permission: 'anyone',
  check(input, context) {
    if (!context.books) return refuse(BOOKS_LOADING);
    if (openShiftOf(context.books, context.deviceId, context.actor?.id)) {
      const whose = context.actor && context.books.staff().hasStaff ? 'You already have a shift open on this device' : 'A shift is already open on this device';
      return refuse({ message: `${whose}: close it before opening another.` });
    }
    if (!isAmount(input.float)) return refuse({ field: 'float', message: 'Enter the float as an amount of zero or more.' });
    return accept({ kind: 'shift-opened', shiftId: context.newId(), float: input.float });
  },
});

export interface MoveCashInput {
  direction: 'in' | 'out';
  /** Minor units, above zero. */
  amount: Minor;
  /** "Safe drop", "Change from the bank"… */
  reason: string;
}

export const moveCash = defineCommand<MoveCashInput>({
  name: 'move-cash',
  records: ['cash-moved'],
  permission: 'anyone',
  check(input, context) {
    return withOpenShift(context, (shiftId, books) => {
      const errors: FieldError[] = [];
      if (!isAmount(input.amount) || input.amount === 0) errors.push({ field: 'amount', message: 'Enter an amount above zero.' });
      // Cash out is what the drawer holds at most: taking more would leave the books expecting a
      // negative drawer, and the difference would surface only at the close.
      const expected = shiftReport(books, shiftId)?.expectedCash ?? 0;
      if (input.direction === 'out' && isAmount(input.amount) && input.amount > expected) {
        const most = formatMoney(Math.max(0, expected), context.settings.currency);
        // A blind cash-up keeps the expected cash from the cashier until the count: not even a refusal says it.
        const message = books.storeSettings().blindCashUp
          ? 'That is more than the drawer should hold: take out less, or count the drawer and close the shift if it holds more.'
          : `The drawer should hold only ${most}: take out at most that, or count the drawer and close the shift if it holds more.`;
        errors.push({ field: 'amount', message });
      }
      const reason = input.reason.trim();
      if (reason === '') errors.push({ field: 'reason', message: 'Give a reason, such as "Safe drop" or "Change from the bank".' });
      if (errors.length > 0) return refuse(...errors);
      return accept({ kind: 'cash-moved', shiftId, amount: input.direction === 'in' ? input.amount : -input.amount, reason });
    });
  },
});

export interface CloseShiftInput {
  /** Cash counted in the drawer at the close, minor units. */
  countedCash: Minor;
}

export const closeShift = defineCommand<CloseShiftInput>({
  name: 'close-shift',
  records: ['shift-closed'],
  permission: 'anyone',
  check(input, context) {
    return withOpenShift(context, (shiftId, books) => {
      if (!isAmount(input.countedCash)) return refuse({ field: 'countedCash', message: 'Enter the cash counted as an amount of zero or more.' });
      // What the drawer should hold, recorded with the count: a close whose count differs needs the
      // 'close-shift-with-difference' privilege (staff.ts), judged from the event alone.
      const expectedCash = shiftReport(books, shiftId)?.expectedCash ?? 0;
      return accept({ kind: 'shift-closed', shiftId, countedCash: input.countedCash, expectedCash });
    });
  },
});

function withOpenShift(context: CommandContext, then: (shiftId: string, books: Books) => CommandResult): CommandResult {
  if (!context.books) return refuse(BOOKS_LOADING);
  const open = openShiftOf(context.books, context.deviceId, context.actor?.id);
  if (open) return then(open.shiftId, context.books);
  const whose = context.actor && context.books.staff().hasStaff ? 'You have no shift open on this device' : 'No shift is open on this device';
  return refuse({ message: `${whose}: open one first.` });
}
