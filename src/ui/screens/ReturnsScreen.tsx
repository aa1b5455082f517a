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
import type { ProductSnapshot, TenderMethod } from '../../domain/events.ts';
import { journalEntryOf } from '../../domain/journal.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { refundPaidOut, refundTotal } from '../../domain/refunds.ts';
import { returnableQty } from '../../domain/returns.ts';
import { normalizeReceiptNo, originalTender, recordReturn, refundFor, saleByReceiptNo, voidedSaleProblem, type RefundTo, type ReturnInput } from '../../app/commands/index.ts';
import { useProjection, useSettings } from '../hooks/index.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { CameraButton, ScanCamera, useScanInput } from '../hooks/use-scan-input.tsx';
import { useProductLines, type ProductLine } from '../hooks/use-product-lines.ts';
import type { AppContext } from '../app-context.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import { DispositionSelect, LinesTable, MoneyInput, QtyInput, REMOVE_HEADER, RemoveButton, type Disposition } from '../components/LinesTable.tsx';
import { moneyInputText, parseQty, qtyWithUnit } from '../line-input.ts';
import { JournalTable, ProductPicker, OpsMessages, OpsForm } from './store-ops.tsx';

interface ReceiptLineInput {
  qtyText: string;
  disposition: Disposition;
}

interface FreeLine extends ProductLine {
  refundText: string;
  disposition: Disposition;
}

export function ReturnsScreen({ app }: { app: AppContext }) {
  const { catalog } = app;
  const settings = useSettings(app);
  const books = useProjection(app)?.books ?? null;
  const [receiptNo, setReceiptNo] = useState('');
  const [saleId, setSaleId] = useState<string | null>(null);
  const [inputs, setInputs] = useState<Record<string, ReceiptLineInput>>({});
  const [withoutReceipt, setWithoutReceipt] = useState(false);
  const [managerApproved, setManagerApproved] = useState(false);
  // With staff (issue 17) a supervisor approves a refund without a receipt with their PIN when it is
  // recorded (app.record asks); without staff, the manager's ticked box as before.
  const withStaff = books?.staff().hasStaff === true;
  const freeLines = useProductLines<FreeLine>();
  const [refundChoice, setRefundChoice] = useState<RefundTo>('original');
  const action = useAction(app);
  const [doneId, setDoneId] = useState<string | null>(null);
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const sale = saleId && books ? books.getEvent(saleId) : undefined;
  const saleEvent = sale?.kind === 'sale' ? sale : undefined;
  const returnable = useMemo(() => (saleEvent && books ? (returnableQty(books, saleEvent.id) ?? []) : []), [saleEvent, books, books?.size]);
  const originalMethod: TenderMethod = saleEvent ? originalTender(saleEvent) : 'cash';
  const voided = saleEvent && books ? voidedSaleProblem(books, saleEvent) : undefined;

  const findSale = (text: string) => {
    const wanted = normalizeReceiptNo(text);
    setDoneId(null);
    if (wanted === '') return action.refuse('Enter the receipt number printed on the receipt, such as AB12-7.');
    if (!books) return action.refuse('The ledger is still loading; try again in a moment.');
    const found = saleByReceiptNo(books, wanted);
    if (!found) {
      setSaleId(null);
      return action.refuse(
        `No sale with receipt number ${wanted} is on this device. Check the number, or sync and try again; without a receipt, use "Return without a receipt".`,
      );
    }
    action.clear();
    setReceiptNo(found.receiptNo);
    setSaleId(found.id);
    setWithoutReceipt(false);
    setRefundChoice('original');
    setInputs(Object.fromEntries(found.lines.map((l) => [l.lineId, { qtyText: '0', disposition: 'restock' as Disposition }])));
  };

  const addFreeProduct = (product: ProductSnapshot) => {
    action.clear();
    freeLines.add(product, { refundText: moneyInputText(product.price, settings.currency), disposition: 'restock' });
  };

  // A hand scanner or the camera: a receipt's barcode finds its sale; without a receipt, a product's adds it.
  const scanner = useScanInput(app, ({ code, match }) => {
    if (withoutReceipt) {
      if (match.found) addFreeProduct(match.product);
      else action.refuse(`${match.reason} Nothing was added.`);
    } else {
      setReceiptNo(code);
      findSale(code);
    }
  });

  /** Records the return the command makes of `input`, after any input the screen could not read. */
  const submit = async (inputErrors: string[], input: ReturnInput) => {
    await action.run(
      (context) => withInputErrors(inputErrors, recordReturn.run(input, context)),
      ([event]) => {
        if (!event) return;
        setDoneId(event.id);
        setSaleId(null);
        setInputs({});
        freeLines.set([]);
        setManagerApproved(false);
        setReceiptNo('');
      },
    );
  };

  const inputOf = (lineId: string): ReceiptLineInput => inputs[lineId] ?? { qtyText: '0', disposition: 'restock' };
  const setInput = (lineId: string, change: Partial<ReceiptLineInput>) =>
    setInputs((all) => ({ ...all, [lineId]: { ...(all[lineId] ?? { qtyText: '0', disposition: 'restock' }), ...change } }));
  const nameOf = (productId: string) => catalog.get(productId)?.name ?? productId;

  const submitWithReceipt = async () => {
    if (!saleEvent) return;
    const errors: string[] = [];
    const lines = saleEvent.lines.flatMap((line) => {
      const input = inputs[line.lineId] ?? { qtyText: '0', disposition: 'restock' };
      const qty = parseQty(input.qtyText, 0);
      if (!qty.ok) errors.push(`${line.name}: ${qty.error}`);
      return qty.ok ? [{ saleLineId: line.lineId, qty: qty.value, disposition: input.disposition }] : [];
    });
    await submit(errors, { receipt: 'with', saleId: saleEvent.id, lines, refundTo: refundChoice });
  };

  const submitWithoutReceipt = async () => {
    const errors: string[] = [];
    const lines = freeLines.lines.flatMap((line) => {
      const name = catalog.get(line.productId)?.name ?? line.productId;
      const qty = parseQty(line.qtyText);
      const refund = parseMoney(line.refundText, settings.currency);
      if (!qty.ok) errors.push(`${name}: ${qty.error}`);
      if (!refund.ok) errors.push(`${name}, refund: ${refund.error}`);
      return qty.ok && refund.ok ? [{ productId: line.productId, qty: qty.value, refund: refund.value, disposition: line.disposition }] : [];
    });
    await submit(errors, { receipt: 'without', managerApproved, lines, refundTo: refundChoice });
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
    : freeLines.lines.reduce((sum, l) => {
        const refund = parseMoney(l.refundText, settings.currency);
        return sum + (refund.ok ? refund.value : 0);
      }, 0);

  return (
    <section class="screen ops returns" aria-labelledby="returns-title" data-scanner-ready={scanner.ready ? 'true' : undefined}>
      <h1 id="returns-title">Returns and exchanges</h1>
      <StillSyncingNotice app={app} />
      <OpsMessages action={action} testId="return" />

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
          <JournalTable entry={books ? journalEntryOf(books, doneReturn.id) : undefined} currency={settings.currency} caption="Journal entry of this return" />
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
          <CameraButton scanner={scanner} stopLabel="Stop camera" />
          <ScanCamera scanner={scanner} mode="lookup" />
        </form>
      )}
      <label class="inline">
        <input
          type="checkbox"
          checked={withoutReceipt}
          onChange={(e) => {
            setWithoutReceipt(e.currentTarget.checked);
            setSaleId(null);
            action.clear();
            setRefundChoice(e.currentTarget.checked ? 'cash' : 'original');
          }}
        />
        Return without a receipt
      </label>

      {voided && !withoutReceipt && (
        <p class="notice warning" role="alert" data-testid="return-voided">
          {voided.message}
        </p>
      )}
      {saleEvent && !voided && !withoutReceipt && (
        <OpsForm onSubmit={() => void submitWithReceipt()}>
          <h2>
            Receipt <span data-testid="return-receipt-no">{saleEvent.receiptNo}</span> · {new Date(saleEvent.recordedAt).toLocaleString()} · {money(saleEvent.totals.gross)}
          </h2>
          <LinesTable
            label="Lines of the sale"
            lines={saleEvent.lines}
            keyOf={(line) => line.lineId}
            rowData={(line) => ({ 'data-line-id': line.lineId, 'data-product-id': line.productId })}
            columns={[
              {
                header: 'Product',
                rowHeader: true,
                cell: (line) => (
                  <>
                    {line.name}
                    <br />
                    <small>
                      sold {qtyWithUnit(line.qty, line.unit)} for {money(line.gross)}
                    </small>
                  </>
                ),
              },
              { header: 'Returnable', num: true, testId: 'returnable', cell: (line) => qtyWithUnit(returnable.find((r) => r.lineId === line.lineId)?.returnable ?? 0, line.unit) },
              {
                header: 'Qty back',
                cell: (line) => {
                  const input = inputOf(line.lineId);
                  return (
                    <QtyInput
                      id={`rqty-${line.lineId}`}
                      label={`Quantity of ${line.name} returned`}
                      value={input.qtyText}
                      unit={line.unit}
                      invalid={!parseQty(input.qtyText, 0).ok}
                      onInput={(qtyText) => setInput(line.lineId, { qtyText })}
                    />
                  );
                },
              },
              {
                header: 'Condition',
                cell: (line) => (
                  <DispositionSelect id={`rdisp-${line.lineId}`} name={line.name} value={inputOf(line.lineId).disposition} onChange={(disposition) => setInput(line.lineId, { disposition })} />
                ),
              },
              {
                header: 'Refund',
                num: true,
                cell: (line) => {
                  const qty = parseQty(inputOf(line.lineId).qtyText, 0);
                  return qty.ok && qty.value > 0 && qty.value <= line.qty ? money(refundFor(line, qty.value).refund) : '—';
                },
              },
            ]}
          />
          <RefundMethod choice={refundChoice} original={originalMethod} onChange={setRefundChoice} />
          <div class="ops-actions">
            <button type="submit" class="primary" disabled={action.busy}>
              Refund {money(pendingTotal)}
            </button>
            <button type="button" class="secondary" onClick={() => setSaleId(null)}>
              Cancel
            </button>
          </div>
        </OpsForm>
      )}

      {withoutReceipt && (
        <OpsForm onSubmit={() => void submitWithoutReceipt()}>
          {withStaff ? (
            <p class="hint" data-testid="return-approval-hint">
              A refund without a receipt needs a supervisor: unless you are one, a supervisor enters their PIN when you record it.
            </p>
          ) : (
            <label class="inline">
              <input type="checkbox" checked={managerApproved} onChange={(e) => setManagerApproved(e.currentTarget.checked)} />
              Manager approved
            </label>
          )}
          {managerApproved || withStaff ? (
            <>
              <ProductPicker app={app} scanner={scanner} id="return-product" label="Returned product: search or scan" onPick={addFreeProduct} />
              {freeLines.lines.length > 0 && (
                <LinesTable
                  label="Returned products"
                  lines={freeLines.lines}
                  keyOf={(line) => line.key}
                  rowData={(line) => ({ 'data-product-id': line.productId })}
                  columns={[
                    { header: 'Product', rowHeader: true, cell: (line) => nameOf(line.productId) },
                    {
                      header: 'Qty back',
                      cell: (line) => (
                        <QtyInput
                          id={`fqty-${line.key}`}
                          label={`Quantity of ${nameOf(line.productId)} returned`}
                          value={line.qtyText}
                          unit={catalog.get(line.productId)?.unit ?? 'each'}
                          onInput={(qtyText) => freeLines.change(line.key, { qtyText })}
                        />
                      ),
                    },
                    {
                      header: 'Refund (incl. tax)',
                      cell: (line) => (
                        <MoneyInput id={`frefund-${line.key}`} label={`Refund for ${nameOf(line.productId)}`} value={line.refundText} onInput={(refundText) => freeLines.change(line.key, { refundText })} />
                      ),
                    },
                    {
                      header: 'Condition',
                      cell: (line) => (
                        <DispositionSelect id={`fdisp-${line.key}`} name={nameOf(line.productId)} value={line.disposition} onChange={(disposition) => freeLines.change(line.key, { disposition })} />
                      ),
                    },
                    { header: REMOVE_HEADER, cell: (line) => <RemoveButton name={nameOf(line.productId)} onRemove={() => freeLines.remove(line.key)} /> },
                  ]}
                />
              )}
              <RefundMethod choice={refundChoice === 'original' ? 'cash' : refundChoice} onChange={setRefundChoice} />
            </>
          ) : (
            <p class="hint">Without a receipt, a manager must approve the return before products can be added.</p>
          )}
          <div class="ops-actions">
            <button type="submit" class="primary" disabled={action.busy}>
              Refund {money(pendingTotal)}
            </button>
          </div>
        </OpsForm>
      )}
    </section>
  );
}

function RefundMethod({ choice, original, onChange }: { choice: RefundTo; original?: TenderMethod; onChange(choice: RefundTo): void }) {
  const options: [RefundTo, string][] = original
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
