/**
 * The cashier's shift on this device: open it with a float, move cash in or out of the drawer with a
 * reason, print an X report mid-shift, close it with the counted cash and print the Z report. The
 * figures come from `shiftReport` (src/domain/shifts.ts), a projection of the events, so a sale that
 * syncs late still lands in its shift's report. Sales take the open shift's id (see `openShiftOf` in
 * src/app/queries.ts). With staff (issue 17), each cashier opens and closes a shift of their own on a
 * shared till, and the reports name them.
 */
import { useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { cashRounding } from '../../domain/cash-rounding.ts';
import type { EventOf, Minor } from '../../domain/events.ts';
import type { Books } from '../../domain/books/index.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { shiftReport, type ShiftReport } from '../../domain/shifts.ts';
import { actorName } from '../../domain/staff.ts';
import { closeShift, moveCash, openShift, openShiftOf, type CommandContext, type CommandResult } from '../../app/commands/index.ts';
import { useProjection } from '../hooks/index.ts';
import { useAction, type Action } from '../hooks/use-action.ts';
import { deviceCode, type AppContext } from '../app-context.ts';
import './shift-screen.css';

function closedShiftsOf(books: Books, deviceId: string): EventOf<'shift-opened'>[] {
  return books
    .idsOf('shift')
    .flatMap((id) => {
      const events = books.eventsFor('shift', id);
      const opened = events.find((e): e is EventOf<'shift-opened'> => e.kind === 'shift-opened' && e.deviceId === deviceId);
      return opened && events.some((e) => e.kind === 'shift-closed') ? [opened] : [];
    })
    .sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
}

/** Who opened the shift (its cashier: one shift per cashier per till), by name; undefined until synced. */
function openerOf(books: Books, shiftId: string): string | undefined {
  const opened = books.eventsFor('shift', shiftId).find((e) => e.kind === 'shift-opened');
  return opened ? actorName(books.staff(), opened.userId) : undefined;
}

export function ShiftScreen({ app }: { app: AppContext }) {
  const books = useProjection(app)?.books ?? null;
  const [shown, setShown] = useState<string | null>(null);
  if (!books) return <section class="screen shift-screen"><p class="hint">Loading the books…</p></section>;
  const open = openShiftOf(books, app.deviceId, app.actor?.id);
  const closed = closedShiftsOf(books, app.deviceId);
  const report = open ? shiftReport(books, open.shiftId) : shown ? shiftReport(books, shown) : undefined;
  const nameOf = (userId: string) => actorName(books.staff(), userId);

  return (
    <section class="screen shift-screen" aria-labelledby="shift-title" data-shift-status={open ? 'open' : 'closed'}>
      <h1 id="shift-title">Shift</h1>
      {open ? (
        <>
          <p class="hint">
            {books.staff().hasStaff ? `${nameOf(open.userId)}’s shift, open` : 'Shift open'} since {new Date(open.recordedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} on till{' '}
            {deviceCode(app.deviceId)}. {app.actor ? 'Your sales on this device go into this drawer.' : 'Sales on this device go into this drawer.'}
          </p>
          <CashMoveForm app={app} />
          <CloseForm app={app} onClosed={() => setShown(open.shiftId)} />
        </>
      ) : (
        <OpenForm app={app} />
      )}
      {report && <ReportView report={report} app={app} cashier={openerOf(books, report.shiftId)} />}
      {!open && closed.length > 0 && (
        <>
          <h2>Closed shifts on this till</h2>
          <ul class="shift-history">
            {closed.slice(0, 10).map((s) => (
              <li key={s.shiftId}>
                <button type="button" class="secondary" aria-pressed={shown === s.shiftId} onClick={() => setShown(s.shiftId)}>
                  Z report of {new Date(s.recordedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })} · {nameOf(s.userId)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * A money amount typed into a shift form, with the sentence that says why nothing was recorded
 * (the amount could not be read, or the command refused) and what that means (`outcome`).
 */
function AmountField(props: { id: string; label: string; text: string; onInput(text: string): void; action: Action; outcome: string }) {
  const error = props.action.messages[0];
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input id={props.id} inputMode="decimal" autoComplete="off" value={props.text} aria-invalid={error !== undefined} onInput={(e) => props.onInput(e.currentTarget.value)} />
      {error !== undefined && (
        <p class="error" role="alert">
          {error} {props.outcome}
        </p>
      )}
    </>
  );
}

/** Reads the typed amount and runs the command with it; true when it was recorded. */
async function recordAmount(action: Action, text: string, currency: string, decide: (amount: Minor, context: CommandContext) => CommandResult, done?: (amount: Minor) => string): Promise<boolean> {
  const amount = parseMoney(text, currency);
  if (!amount.ok) {
    action.refuse(amount.error);
    return false;
  }
  return (await action.run((context) => decide(amount.value, context), () => done?.(amount.value))) !== null;
}

function OpenForm({ app }: { app: AppContext }) {
  const { currency } = app.settings;
  const [text, setText] = useState('');
  const action = useAction(app);
  const submit = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (await recordAmount(action, text, currency, (float, context) => openShift.run({ float }, context))) setText('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="open-shift-title">
      <h2 id="open-shift-title">Open a shift</h2>
      <AmountField id="shift-float" label={`Float in the drawer (${currency})`} text={text} onInput={setText} action={action} outcome="The shift was not opened." />
      <button type="submit" class="primary" disabled={action.busy}>
        Open shift
      </button>
    </form>
  );
}

function CashMoveForm({ app }: { app: AppContext }) {
  const { currency } = app.settings;
  const [text, setText] = useState('');
  const [direction, setDirection] = useState<'in' | 'out'>('out');
  const [reason, setReason] = useState('');
  const action = useAction(app);
  const submit = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    action.clear();
    const recorded = await recordAmount(
      action,
      text,
      currency,
      (amount, context) => moveCash.run({ direction, amount, reason }, context),
      (amount) => `${direction === 'in' ? 'Put' : 'Took'} ${formatMoney(amount, currency)} ${direction === 'in' ? 'into' : 'out of'} the drawer.`,
    );
    if (!recorded) return;
    setText('');
    setReason('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="cash-move-title">
      <h2 id="cash-move-title">Cash in or out</h2>
      <fieldset class="direction">
        <legend class="visually-hidden">Direction</legend>
        <label>
          <input type="radio" name="cash-direction" checked={direction === 'out'} onChange={() => setDirection('out')} /> Out of the drawer
        </label>
        <label>
          <input type="radio" name="cash-direction" checked={direction === 'in'} onChange={() => setDirection('in')} /> Into the drawer
        </label>
      </fieldset>
      <label for="cash-move-amount">Amount ({currency})</label>
      <input id="cash-move-amount" inputMode="decimal" autoComplete="off" value={text} aria-invalid={action.errors.length > 0} onInput={(e) => setText(e.currentTarget.value)} />
      <label for="cash-move-reason">Reason</label>
      <input id="cash-move-reason" autoComplete="off" value={reason} placeholder="Safe drop" onInput={(e) => setReason(e.currentTarget.value)} />
      {action.messages.length > 0 && (
        <p class="error" role="alert">
          {action.messages[0]} Nothing was recorded.
        </p>
      )}
      {action.notice && (
        <p class="notice info" role="status">
          {action.notice}
        </p>
      )}
      <button type="submit" class="secondary" disabled={action.busy}>
        Record cash {direction === 'in' ? 'in' : 'out'}
      </button>
    </form>
  );
}

function CloseForm({ app, onClosed }: { app: AppContext; onClosed(): void }) {
  const { currency } = app.settings;
  const [text, setText] = useState('');
  const action = useAction(app);
  const submit = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (await recordAmount(action, text, currency, (countedCash, context) => closeShift.run({ countedCash }, context))) onClosed();
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="close-shift-title">
      <h2 id="close-shift-title">Close the shift</h2>
      <AmountField id="shift-counted" label={`Cash counted in the drawer (${currency})`} text={text} onInput={setText} action={action} outcome="The shift is still open." />
      <button type="submit" class="primary" disabled={action.busy}>
        Close shift
      </button>
    </form>
  );
}

function ReportView({ report, app, cashier }: { report: ShiftReport; app: AppContext; cashier: string | undefined }) {
  const { currency, storeName } = app.settings;
  const money = (amount: Minor) => formatMoney(amount, currency);
  // Sales and refunds are rounded at the till already; a float or cash movement typed to the cent
  // may still leave an amount the drawer's coins cannot make up, so "cash to count" is rounded too.
  const step = app.settings.cashStep;
  const toCount = step <= 1 ? undefined : cashRounding(report.expectedCash, step);
  const difference = report.difference;
  const row = (label: string, amount: Minor, testId?: string, sign = '') => (
    <tr>
      <th>{label}</th>
      <td data-testid={testId}>
        {sign}
        {money(amount)}
      </td>
    </tr>
  );
  return (
    <article class="shift-report" aria-labelledby="shift-report-title" data-report={report.report}>
      <h2 id="shift-report-title">{report.report} report</h2>
      <p>
        {storeName} · till {deviceCode(app.deviceId)}
        <br />
        {cashier !== undefined && (
          <>
            Cashier <strong data-testid="report-cashier">{cashier}</strong>
            <br />
          </>
        )}
        Opened {report.openedAt ? new Date(report.openedAt).toLocaleString() : '(not synced yet)'}
        {report.closedAt && (
          <>
            <br />
            Closed {new Date(report.closedAt).toLocaleString()}
          </>
        )}
        <br />
        {report.sales} sales · {report.voids} voids · {report.returns} returns
      </p>
      {app.settings.blindCashUp && report.status === 'open' ? (
        <p class="hint" data-testid="blind-cash-up">
          Blind cash-up: what the drawer should hold is shown once you have counted it and closed the shift.
        </p>
      ) : (
        <table>
          <tbody>
            {row('Float', report.float, 'report-float')}
            {row('Cash sales', report.cashSales, 'report-cash-sales')}
            {report.cashVoids > 0 && row('Cash of voided sales', report.cashVoids, undefined, '−')}
            {report.cashRefunds > 0 && row('Cash refunds', report.cashRefunds, undefined, '−')}
            {report.cashIn > 0 && row('Cash in', report.cashIn, 'report-cash-in')}
            {report.cashOut > 0 && row('Cash out', report.cashOut, 'report-cash-out', '−')}
            <tr class="total">
              <th>Expected cash</th>
              <td data-testid="expected-cash">{money(report.expectedCash)}</td>
            </tr>
            {toCount !== undefined && toCount !== report.expectedCash && row(`Expected cash in coins (steps of ${money(step)})`, toCount, 'expected-cash-rounded')}
            {report.countedCash !== undefined && row('Counted cash', report.countedCash, 'counted-cash')}
            {difference !== undefined && (
              <tr class="total">
                <th>{difference === 0 ? 'Difference' : difference > 0 ? 'Over' : 'Short'}</th>
                <td data-testid="cash-difference" class={difference < 0 ? 'short' : ''}>
                  {difference > 0 ? '+' : ''}
                  {money(difference)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <table>
        <tbody>
          {row('Card sales', report.cardSales, 'report-card-sales')}
          {report.cardVoids > 0 && row('Card of voided sales', report.cardVoids, undefined, '−')}
          {report.cardRefunds > 0 && row('Card refunds', report.cardRefunds, undefined, '−')}
        </tbody>
      </table>
      <button type="button" class="secondary no-print" onClick={() => window.print()}>
        Print {report.report} report
      </button>
    </article>
  );
}
