/**
 * Returns and exchanges (cashier).
 *
 * With the receipt: find the sale by its receipt number (typed, or scanned by a hand scanner), pick
 * how many of each line come back (never more than `returnableQty`), restock or write off (damaged)
 * each line, and refund to the original tender or in cash. A line's refund is its share of what the
 * customer paid: gross × qty / line qty, and the tax likewise, rounded half away from zero.
 * Without a receipt: only with the manager's approval; pick products and enter the refunds.
 * One `return` event is recorded; the ledger posts Returns and tax against Cash or Card, and the
 * returned cost back to Inventory (restock) or to shrinkage (write-off).
 *
 * Exchange: after a return refunded in cash, "Exchange: start a sale with credit" opens Sell with the
 * credit in the address (`#/sell?credit=<minor units>&return=<event id>`). The refund is not handed
 * out: Pay counts it as cash received for the new items, so the customer pays only the difference or
 * gets the rest back as change. The return and the new sale stay two events (the books see cash out
 * and cash in, netting to what changed hands) in one flow. A refund to a card has already gone back to
 * the card, so the next sale there starts without credit.
 */
import { useMemo, useState } from 'preact/hooks';
import type { EventOf, ProductSnapshot, TenderMethod } from '../../domain/events.ts';
import { divideRounded, formatMoney, parseMoney } from '../../domain/money.ts';
import { refundPaidOut, refundTotal } from '../../domain/refunds.ts';
import { returnableQty } from '../../domain/returns.ts';
import { DEMO_VARIABLE_MEASURE, lookupScan } from '../../domain/scan-lookup.ts';
import { uuidv7 } from '../../db/ids.ts';
import { useProjection } from '../hooks/index.ts';
import { cashStepOf, type AppContext } from '../app-context.ts';
import { roundCashDue } from '../../domain/cash-rounding.ts';
import { CameraToggle, JournalTable, ProductPicker, errorText, moneyInputText, parseQty, qtyUnitLabel, qtyWithUnit, useWedgeScans, OpsMessages } from './store-ops.tsx';
import { currentShiftId } from '../current-shift.ts';

type Disposition = 'restock' | 'write-off';
type RefundChoice = 'original' | 'cash' | 'card';

interface ReceiptLineInput {
  qtyText: string;
  disposition: Disposition;
}

interface FreeLine {
  key: string;
  productId: string;
  qtyText: string;
  refundText: string;
  disposition: Disposition;
}

/** The share of a sale line's gross and tax for `qty` of its `line.qty` units. */
export function refundFor(line: { qty: number; gross: number; tax: number }, qty: number): { refund: number; tax: number } {
  return { refund: divideRounded(line.gross * qty, line.qty), tax: divideRounded(line.tax * qty, line.qty) };
}

function normalizeReceiptNo(text: string): string {
  return text.trim().replace(/^#/, '').toUpperCase();
}

export function ReturnsScreen({ app }: { app: AppContext }) {
  const { catalog, settings } = app;
  const books = useProjection(app)?.books ?? null;
  const [receiptNo, setReceiptNo] = useState('');
  const [saleId, setSaleId] = useState<string | null>(null);
  const [inputs, setInputs] = useState<Record<string, ReceiptLineInput>>({});
  const [withoutReceipt, setWithoutReceipt] = useState(false);
  const [managerApproved, setManagerApproved] = useState(false);
  const [freeLines, setFreeLines] = useState<FreeLine[]>([]);
  const [refundChoice, setRefundChoice] = useState<RefundChoice>('original');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [doneId, setDoneId] = useState<string | null>(null);
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const sale = saleId && books ? books.getEvent(saleId) : undefined;
  const saleEvent = sale?.kind === 'sale' ? sale : undefined;
  const returnable = useMemo(() => (saleEvent && books ? (returnableQty(books, saleEvent.id) ?? []) : []), [saleEvent, books, books?.size]);
  const originalMethod: TenderMethod = saleEvent?.tenders.some((t) => t.method === 'card' && t.amount > 0) ? 'card' : 'cash';

  const findSale = (text: string) => {
    const wanted = normalizeReceiptNo(text);
    setDoneId(null);
    if (wanted === '') {
      setErrors(['Enter the receipt number printed on the receipt, such as AB12-7.']);
      return;
    }
    if (!books) {
      setErrors(['The ledger is still loading; try again in a moment.']);
      return;
    }
    const found = books.events().find((e): e is EventOf<'sale'> => e.kind === 'sale' && e.receiptNo.toUpperCase() === wanted);
    if (!found) {
      setSaleId(null);
      setErrors([
        `No sale with receipt number ${wanted} is on this device. Check the number, or sync and try again; without a receipt, use "Return without a receipt".`,
      ]);
      return;
    }
    setErrors([]);
    setReceiptNo(found.receiptNo);
    setSaleId(found.id);
    setWithoutReceipt(false);
    setRefundChoice('original');
    setInputs(Object.fromEntries(found.lines.map((l) => [l.lineId, { qtyText: '0', disposition: 'restock' as Disposition }])));
  };

  const addFreeProduct = (product: ProductSnapshot) => {
    setErrors([]);
    setFreeLines((ls) =>
      ls.some((l) => l.productId === product.id)
        ? ls
        : [...ls, { key: uuidv7(), productId: product.id, qtyText: '1', refundText: moneyInputText(product.price, settings.currency), disposition: 'restock' }],
    );
  };

  // A hand scanner or the camera: a receipt's barcode finds its sale; without a receipt, a product's adds it.
  const onScan = (code: string) => {
    if (withoutReceipt) {
      const match = lookupScan(code, (c) => catalog.byCode(c), DEMO_VARIABLE_MEASURE);
      if (match.found) addFreeProduct(match.product);
      else setErrors([`${match.reason} Nothing was added.`]);
    } else {
      setReceiptNo(code);
      findSale(code);
    }
  };
  const scannerReady = useWedgeScans(onScan);

  const method = (): TenderMethod => (refundChoice === 'original' ? (withoutReceipt ? 'cash' : originalMethod) : refundChoice);

  const recordReturn = async (body: EventOf<'return'>['lines'], extra: { saleId?: string; managerApproved: boolean }) => {
    setBusy(true);
    try {
      // A refund paid while this device's shift is open comes out of that shift's drawer.
      const shiftId = currentShiftId(app);
      const refundMethod = method();
      // Cash comes out of a drawer without the smallest coins: round what is handed back.
      const rounding = refundMethod === 'cash' ? roundCashDue(refundTotal(body), cashStepOf(settings)).rounding : 0;
      const event = await app.record({
        kind: 'return',
        ...extra,
        ...(shiftId === undefined ? {} : { shiftId }),
        lines: body,
        refundMethod,
        ...(rounding === 0 ? {} : { cashRounding: rounding }),
      });
      setDoneId(event.id);
      setSaleId(null);
      setInputs({});
      setFreeLines([]);
      setManagerApproved(false);
      setReceiptNo('');
    } catch (error) {
      setErrors([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const submitWithReceipt = async () => {
    if (!saleEvent) return;
    const problems: string[] = [];
    const lines: EventOf<'return'>['lines'] = [];
    for (const line of saleEvent.lines) {
      const input = inputs[line.lineId] ?? { qtyText: '0', disposition: 'restock' };
      const qty = parseQty(input.qtyText, 0);
      if (!qty.ok) {
        problems.push(`${line.name}: ${qty.error}`);
        continue;
      }
      if (qty.value === 0) continue;
      const left = returnable.find((r) => r.lineId === line.lineId);
      const allowed = left?.returnable ?? 0;
      if (qty.value > allowed) {
        problems.push(
          `${line.name}: at most ${qtyWithUnit(allowed, line.unit)} can be returned on receipt ${saleEvent.receiptNo} (${qtyWithUnit(line.qty, line.unit)} sold, ${qtyWithUnit(left?.returned ?? 0, line.unit)} already returned), not ${qtyWithUnit(qty.value, line.unit)}.`,
        );
        continue;
      }
      lines.push({ productId: line.productId, qty: qty.value, ...refundFor(line, qty.value), disposition: input.disposition, saleLineId: line.lineId });
    }
    if (problems.length === 0 && lines.length === 0) problems.push('Enter how many come back for at least one line.');
    setErrors(problems);
    if (problems.length > 0) return;
    await recordReturn(lines, { saleId: saleEvent.id, managerApproved: false });
  };

  const submitWithoutReceipt = async () => {
    const problems: string[] = [];
    if (!managerApproved) problems.push('A return without a receipt needs a manager: tick "Manager approved" once they agree.');
    if (freeLines.length === 0) problems.push('Add the returned products: scan them or search for them.');
    const lines: EventOf<'return'>['lines'] = [];
    for (const line of freeLines) {
      const product = catalog.get(line.productId);
      const name = product?.name ?? line.productId;
      const qty = parseQty(line.qtyText);
      const refund = parseMoney(line.refundText, settings.currency);
      if (!qty.ok) problems.push(`${name}: ${qty.error}`);
      if (!refund.ok) problems.push(`${name}, refund: ${refund.error}`);
      if (!qty.ok || !refund.ok) continue;
      const rate = product?.taxRateBp ?? 0;
      // The refund includes tax: its tax part is refund × rate / (1 + rate).
      const tax = divideRounded(refund.value * rate, 10_000 + rate);
      lines.push({ productId: line.productId, qty: qty.value, refund: refund.value, tax, disposition: line.disposition });
    }
    setErrors(problems);
    if (problems.length > 0) return;
    await recordReturn(lines, { managerApproved: true });
  };

  const done = doneId && books ? books.getEvent(doneId) : undefined;
  const doneReturn = done?.kind === 'return' ? done : undefined;
  const doneTotal = doneReturn ? refundTotal(doneReturn.lines) : 0;
  const donePaidOut = doneReturn ? refundPaidOut(doneReturn) : 0;
  const pendingTotal = saleEvent
    ? saleEvent.lines.reduce((sum, line) => {
        const qty = parseQty(inputs[line.lineId]?.qtyText ?? '0', 0);
        return sum + (qty.ok && qty.value <= line.qty ? refundFor(line, qty.value).refund : 0);
      }, 0)
    : freeLines.reduce((sum, l) => {
        const refund = parseMoney(l.refundText, settings.currency);
        return sum + (refund.ok ? refund.value : 0);
      }, 0);

  return (
    <section class="screen ops returns" aria-labelledby="returns-title" data-scanner-ready={scannerReady ? 'true' : undefined}>
      <h1 id="returns-title">Returns and exchanges</h1>
      <OpsMessages errors={errors} testId="return" />

      {doneReturn && (
        <div class="ops-result-panel" data-testid="return-result">
          <p class="notice info" role="status">
            Return recorded: refund <strong data-testid="refund-total">{money(donePaidOut)}</strong> {doneReturn.refundMethod === 'cash' ? 'in cash' : 'to the card'}
            {doneReturn.cashRounding !== undefined && ` (${money(doneTotal)} rounded to the drawer’s coins)`}.
          </p>
          <ul>
            {doneReturn.lines.map((l, i) => {
              const product = catalog.get(l.productId);
              return (
                <li key={`${l.productId}-${i}`}>
                  {product?.name ?? l.productId}: {qtyWithUnit(l.qty, product?.unit ?? 'each')} {l.disposition === 'restock' ? 'back on the shelf' : 'written off'} · on hand now{' '}
                  {qtyWithUnit(books?.onHand(l.productId, doneReturn.locationId) ?? 0, product?.unit ?? 'each')}
                </li>
              );
            })}
          </ul>
          <JournalTable entry={books?.journalOf(doneReturn.id)} currency={settings.currency} caption="Journal entry of this return" />
          <div class="ops-actions">
            <button
              type="button"
              class="primary"
              onClick={() => {
                location.hash = doneReturn.refundMethod === 'cash' ? `#/sell?credit=${donePaidOut}&return=${doneReturn.id}` : '#/sell';
              }}
            >
              {doneReturn.refundMethod === 'cash' ? 'Exchange: start a sale with credit' : 'Exchange: start the new sale'}
            </button>
            <button type="button" class="secondary" onClick={() => setDoneId(null)}>
              Next return
            </button>
          </div>
        </div>
      )}

      {!withoutReceipt && (
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            findSale(receiptNo);
          }}
        >
          <label for="return-receipt">Receipt number (type or scan)</label>
          <input id="return-receipt" type="search" autoComplete="off" value={receiptNo} onInput={(e) => setReceiptNo(e.currentTarget.value)} />
          <button type="submit" class="primary">
            Find sale
          </button>
          {/* The receipt’s barcode read by the camera. */}
          <CameraToggle app={app} mode="lookup" onDetected={(code) => onScan(code)} />
        </form>
      )}
      <label class="inline">
        <input
          type="checkbox"
          checked={withoutReceipt}
          onChange={(e) => {
            setWithoutReceipt(e.currentTarget.checked);
            setSaleId(null);
            setErrors([]);
            setRefundChoice(e.currentTarget.checked ? 'cash' : 'original');
          }}
        />
        Return without a receipt
      </label>

      {saleEvent && !withoutReceipt && (
        <form
          class="ops-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submitWithReceipt();
          }}
        >
          <h2>
            Receipt <span data-testid="return-receipt-no">{saleEvent.receiptNo}</span> · {new Date(saleEvent.recordedAt).toLocaleString()} · {money(saleEvent.totals.gross)}
          </h2>
          <div class="table-wrap">
            <table class="stock-table ops-lines" aria-label="Lines of the sale">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" class="num">
                    Returnable
                  </th>
                  <th scope="col">Qty back</th>
                  <th scope="col">Condition</th>
                  <th scope="col" class="num">
                    Refund
                  </th>
                </tr>
              </thead>
              <tbody>
                {saleEvent.lines.map((line) => {
                  const input = inputs[line.lineId] ?? { qtyText: '0', disposition: 'restock' as Disposition };
                  const left = returnable.find((r) => r.lineId === line.lineId);
                  const qty = parseQty(input.qtyText, 0);
                  const set = (change: Partial<ReceiptLineInput>) => setInputs((all) => ({ ...all, [line.lineId]: { ...input, ...change } }));
                  return (
                    <tr key={line.lineId} data-line-id={line.lineId} data-product-id={line.productId}>
                      <th scope="row">
                        {line.name}
                        <br />
                        <small>
                          sold {qtyWithUnit(line.qty, line.unit)} for {money(line.gross)}
                        </small>
                      </th>
                      <td class="num" data-testid="returnable">
                        {qtyWithUnit(left?.returnable ?? 0, line.unit)}
                      </td>
                      <td>
                        <label class="visually-hidden" for={`rqty-${line.lineId}`}>
                          Quantity of {line.name} returned
                        </label>
                        <input
                          id={`rqty-${line.lineId}`}
                          class="qty-input"
                          inputMode="numeric"
                          value={input.qtyText}
                          aria-invalid={!qty.ok}
                          onInput={(e) => set({ qtyText: e.currentTarget.value })}
                        />{' '}
                        {qtyUnitLabel(line.unit)}
                      </td>
                      <td>
                        <label class="visually-hidden" for={`rdisp-${line.lineId}`}>
                          Condition of {line.name}
                        </label>
                        <select id={`rdisp-${line.lineId}`} value={input.disposition} onChange={(e) => set({ disposition: e.currentTarget.value as Disposition })}>
                          <option value="restock">Restock (resellable)</option>
                          <option value="write-off">Write off (damaged)</option>
                        </select>
                      </td>
                      <td class="num">{qty.ok && qty.value > 0 && qty.value <= line.qty ? money(refundFor(line, qty.value).refund) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <RefundMethod choice={refundChoice} original={originalMethod} onChange={setRefundChoice} />
          <div class="ops-actions">
            <button type="submit" class="primary" disabled={busy}>
              Refund {money(pendingTotal)}
            </button>
            <button type="button" class="secondary" onClick={() => setSaleId(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {withoutReceipt && (
        <form
          class="ops-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submitWithoutReceipt();
          }}
        >
          <label class="inline">
            <input type="checkbox" checked={managerApproved} onChange={(e) => setManagerApproved(e.currentTarget.checked)} />
            Manager approved
          </label>
          {managerApproved ? (
            <>
              <ProductPicker app={app} id="return-product" label="Returned product: search or scan" onPick={addFreeProduct} />
              {freeLines.length > 0 && (
                <div class="table-wrap">
                  <table class="stock-table ops-lines" aria-label="Returned products">
                    <thead>
                      <tr>
                        <th scope="col">Product</th>
                        <th scope="col">Qty back</th>
                        <th scope="col">Refund (incl. tax)</th>
                        <th scope="col">Condition</th>
                        <th scope="col">
                          <span class="visually-hidden">Remove</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {freeLines.map((line) => {
                        const product = catalog.get(line.productId);
                        const name = product?.name ?? line.productId;
                        const set = (change: Partial<FreeLine>) => setFreeLines((ls) => ls.map((l) => (l.key === line.key ? { ...l, ...change } : l)));
                        return (
                          <tr key={line.key} data-product-id={line.productId}>
                            <th scope="row">{name}</th>
                            <td>
                              <label class="visually-hidden" for={`fqty-${line.key}`}>
                                Quantity of {name} returned
                              </label>
                              <input id={`fqty-${line.key}`} class="qty-input" inputMode="numeric" value={line.qtyText} onInput={(e) => set({ qtyText: e.currentTarget.value })} />{' '}
                              {qtyUnitLabel(product?.unit ?? 'each')}
                            </td>
                            <td>
                              <label class="visually-hidden" for={`frefund-${line.key}`}>
                                Refund for {name}
                              </label>
                              <input id={`frefund-${line.key}`} class="money-input" inputMode="decimal" value={line.refundText} onInput={(e) => set({ refundText: e.currentTarget.value })} />
                            </td>
                            <td>
                              <label class="visually-hidden" for={`fdisp-${line.key}`}>
                                Condition of {name}
                              </label>
                              <select id={`fdisp-${line.key}`} value={line.disposition} onChange={(e) => set({ disposition: e.currentTarget.value as Disposition })}>
                                <option value="restock">Restock (resellable)</option>
                                <option value="write-off">Write off (damaged)</option>
                              </select>
                            </td>
                            <td>
                              <button type="button" class="icon danger" aria-label={`Remove ${name}`} onClick={() => setFreeLines((ls) => ls.filter((l) => l.key !== line.key))}>
                                ✕
                              </button>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
              <RefundMethod choice={refundChoice === 'original' ? 'cash' : refundChoice} onChange={setRefundChoice} />
            </>
          ) : (
            <p class="hint">Without a receipt, a manager must approve the return before products can be added.</p>
          )}
          <div class="ops-actions">
            <button type="submit" class="primary" disabled={busy}>
              Refund {money(pendingTotal)}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function RefundMethod({ choice, original, onChange }: { choice: RefundChoice; original?: TenderMethod; onChange(choice: RefundChoice): void }) {
  const options: [RefundChoice, string][] = original
    ? [
        ['original', `Original tender (${original === 'card' ? 'card' : 'cash'})`],
        ['cash', 'Cash'],
      ]
    : [
        ['cash', 'Cash'],
        ['card', 'Card'],
      ];
  return (
    <fieldset>
      <legend>Refund to</legend>
      {options.map(([value, label]) => (
        <label class="inline" key={value}>
          <input type="radio" name="refund-method" value={value} checked={choice === value} onChange={() => onChange(value)} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
