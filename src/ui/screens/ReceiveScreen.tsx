/**
 * Receiving (floor staff, tablet or phone) and purchase orders (owner).
 *
 * - A purchase order is one `purchase-order-created` event (supplier, lines with expected qty and
 *   unit cost); it moves no stock. `purchaseOrders(ledger)` gives each order's status.
 * - A delivery is one `goods-received` event, against an order (lines prefilled with what is still
 *   outstanding at the order's cost, editable: partial and over-deliveries are allowed and shown) or
 *   without one (scan or search items). The ledger posts stock, cost layers and the journal entry
 *   Inventory / Goods received not invoiced, shown after the receipt from `journalOf(eventId)`.
 * - A scanned code the catalog lacks offers to define the product first (`product-defined`).
 * - `purchase-order-closed` ends an order (nothing more is expected).
 */
import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot, StockUnit } from '../../domain/events.ts';
import { QTY_PER_PRICE_UNIT } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { purchaseOrders, purchaseOrder, type PurchaseOrderStatus, type PurchaseOrderView } from '../../domain/purchase-orders.ts';
import { DEMO_VARIABLE_MEASURE, lookupScan } from '../../domain/scan-lookup.ts';
import { uuidv7 } from '../../db/ids.ts';
import { useLocations, useProjection } from '../hooks/index.ts';
import type { AppContext } from '../app-context.ts';
import { NewProductDialog } from '../components/NewProductDialog.tsx';
import {
  JournalTable,
  ProductPicker,
  costInputText,
  costLabel,
  errorText,
  locationName,
  parseQty,
  parseUnitCost,
  qtyUnitLabel,
  qtyWithUnit,
  shortId,
  useWedgeScans, OpsMessages, FormActions } from './store-ops.tsx';

interface Line {
  key: string;
  productId: string;
  qtyText: string;
  costText: string;
  /** On the order: ordered and already received before this delivery. */
  ordered?: number;
  receivedBefore?: number;
}

type Mode = { kind: 'list' } | { kind: 'new-order' } | { kind: 'receive'; purchaseOrderId?: string };

const STATUS_LABEL: Record<PurchaseOrderStatus, string> = {
  open: 'Open',
  'partially-received': 'Partially received',
  received: 'Received in full',
  'over-delivered': 'Over-delivered',
  closed: 'Closed',
};

export function ReceiveScreen({ app }: { app: AppContext }) {
  const { catalog, settings } = app;
  const books = useProjection(app)?.books ?? null;
  // Location names are read from the app as the screen draws: this re-draws it when they change.
  useLocations(app);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [lines, setLines] = useState<Line[]>([]);
  const [supplier, setSupplier] = useState('');
  const [reference, setReference] = useState('');
  const [expectedAt, setExpectedAt] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [newCode, setNewCode] = useState<string | null>(null);
  const [lastReceiptId, setLastReceiptId] = useState<string | null>(null);
  const [closing, setClosing] = useState<string | null>(null);
  const [closeReason, setCloseReason] = useState('Complete');
  const orders = useMemo(() => (books ? purchaseOrders(books) : []), [books, books?.size]);
  const productName = (id: string) => catalog.get(id)?.name ?? id;

  const addProduct = (product: ProductSnapshot) => {
    setErrors([]);
    setLines((current) => {
      const existing = current.find((l) => l.productId === product.id);
      if (existing) {
        const qty = parseQty(existing.qtyText);
        return current.map((l) => (l === existing ? { ...l, qtyText: String((qty.ok ? qty.value : 0) + 1) } : l));
      }
      return [...current, { key: uuidv7(), productId: product.id, qtyText: '1', costText: costInputText(product.cost, product.unit, settings.currency) }];
    });
    setNotice(`Added ${product.name}.`);
  };

  const onScan = (code: string) => {
    if (mode.kind === 'list') {
      setNotice('Choose "Receive without an order" or an order to receive against, then scan.');
      return;
    }
    const match = lookupScan(code, (c) => catalog.byCode(c), DEMO_VARIABLE_MEASURE);
    if (match.found) addProduct(match.product);
    else offerNewProduct(code);
  };
  // Only the owner defines products (prices are theirs); staff are told whom to ask.
  const offerNewProduct = (code: string) => {
    if (app.role === 'owner') return setNewCode(code);
    setErrors([`${code} is not in the catalog. Only the owner’s device can create products: ask the owner to add it, then scan it again.`]);
  };
  const scannerReady = useWedgeScans(onScan);

  const start = (next: Mode) => {
    setErrors([]);
    setNotice(null);
    setReference('');
    setExpectedAt('');
    setMode(next);
    if (next.kind === 'receive' && next.purchaseOrderId && books) {
      const order = purchaseOrder(books, next.purchaseOrderId);
      setSupplier(order?.supplier ?? '');
      setLines(
        (order?.lines ?? [])
          .filter((l) => l.ordered > 0)
          .map((l) => {
            const product = catalog.get(l.productId);
            const unit: StockUnit = product?.unit ?? 'each';
            return {
              key: uuidv7(),
              productId: l.productId,
              qtyText: String(l.outstanding),
              costText: costInputText(l.unitCost ?? product?.cost ?? 0, unit, settings.currency),
              ordered: l.ordered,
              receivedBefore: l.received,
            };
          }),
      );
    } else {
      setSupplier('');
      setLines([]);
    }
  };

  /** Checks every line; returns the lines as recorded, or null with the errors shown. */
  const checkLines = (): { productId: string; qty: number; unitCost: number }[] | null => {
    const problems: string[] = [];
    if (!app.locations.some((l) => l.id === settings.locationId)) {
      problems.push(`This device's location (${settings.locationId}) is not one of the store's locations. Choose the location in Settings first.`);
    }
    if (supplier.trim() === '') problems.push('Enter the supplier.');
    if (lines.length === 0) problems.push('Add at least one product: scan it or search for it.');
    const checked = lines.flatMap((line) => {
      const product = catalog.get(line.productId);
      const unit = product?.unit ?? 'each';
      const qty = parseQty(line.qtyText);
      const cost = parseUnitCost(line.costText, unit, settings.currency);
      if (!qty.ok) problems.push(`${productName(line.productId)}: ${qty.error}`);
      if (!cost.ok) problems.push(`${productName(line.productId)}, ${costLabel(unit).toLowerCase()}: ${cost.error}`);
      return qty.ok && cost.ok ? [{ productId: line.productId, qty: qty.value, unitCost: cost.value }] : [];
    });
    setErrors(problems);
    return problems.length === 0 ? checked : null;
  };

  const createOrder = async () => {
    const checked = checkLines();
    if (!checked) return;
    if (expectedAt !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(expectedAt)) {
      setErrors([`"${expectedAt}" is not a date: use the date picker or write it like 2024-05-01.`]);
      return;
    }
    setBusy(true);
    try {
      await app.record({
        kind: 'purchase-order-created',
        purchaseOrderId: uuidv7(),
        supplier: supplier.trim(),
        ...(expectedAt ? { expectedAt } : {}),
        lines: checked,
      });
      setNotice(`Purchase order for ${supplier.trim()} created with ${checked.length} ${checked.length === 1 ? 'line' : 'lines'}.`);
      setMode({ kind: 'list' });
      setLines([]);
    } catch (error) {
      setErrors([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const receive = async () => {
    const checked = checkLines();
    if (!checked || mode.kind !== 'receive') return;
    setBusy(true);
    try {
      const event = await app.record({
        kind: 'goods-received',
        supplier: supplier.trim(),
        reference: reference.trim() || 'no delivery note',
        ...(mode.purchaseOrderId ? { purchaseOrderId: mode.purchaseOrderId } : {}),
        lines: checked,
      });
      setLastReceiptId(event.id);
      setNotice(`Received ${checked.length} ${checked.length === 1 ? 'line' : 'lines'} from ${supplier.trim()} into ${locationName(app, event.locationId)}.`);
      setMode({ kind: 'list' });
      setLines([]);
    } catch (error) {
      setErrors([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const closeOrder = async (purchaseOrderId: string) => {
    if (closeReason.trim() === '') {
      setErrors(['Give a reason for closing the order, such as "Complete" or "Rest cancelled".']);
      return;
    }
    try {
      await app.record({ kind: 'purchase-order-closed', purchaseOrderId, reason: closeReason.trim() });
      setClosing(null);
      setErrors([]);
      setNotice('The purchase order is closed: nothing more is expected on it.');
    } catch (error) {
      setErrors([errorText(error)]);
    }
  };

  const order = mode.kind === 'receive' && mode.purchaseOrderId && books ? purchaseOrder(books, mode.purchaseOrderId) : undefined;

  return (
    <section class="screen ops receive" aria-labelledby="receive-title" data-scanner-ready={scannerReady ? 'true' : undefined}>
      <h1 id="receive-title">
        {mode.kind === 'new-order' ? 'New purchase order' : mode.kind === 'receive' ? 'Receive a delivery' : 'Receive goods'}
      </h1>
      <p class="hint">Location: {locationName(app, settings.locationId)}</p>
      <OpsMessages notice={notice} errors={errors} testId="receive" />

      {mode.kind === 'list' && (
        <>
          <div class="ops-actions">
            <button type="button" class="primary" onClick={() => start({ kind: 'receive' })}>
              Receive without an order
            </button>
            {app.role === 'owner' && (
              <button type="button" class="secondary" onClick={() => start({ kind: 'new-order' })}>
                New purchase order
              </button>
            )}
          </div>
          {lastReceiptId && books && <ReceiptResult app={app} eventId={lastReceiptId} />}
          <h2>Purchase orders</h2>
          {!books && <p class="hint">Loading the books…</p>}
          {books && orders.length === 0 && <p class="empty">No purchase orders yet.</p>}
          <ul class="ops-orders">
            {orders.map((o) => (
              <OrderRow
                key={o.purchaseOrderId}
                order={o}
                productName={productName}
                closing={closing === o.purchaseOrderId}
                closeReason={closeReason}
                onReceive={() => start({ kind: 'receive', purchaseOrderId: o.purchaseOrderId })}
                canClose={app.role === 'owner'}
                onClose={() => {
                  setCloseReason('Complete');
                  setClosing(o.purchaseOrderId);
                }}
                onCloseReason={setCloseReason}
                onConfirmClose={() => void closeOrder(o.purchaseOrderId)}
                onCancelClose={() => setClosing(null)}
              />
            ))}
          </ul>
        </>
      )}

      {mode.kind !== 'list' && (
        <form
          class="ops-form"
          onSubmit={(e) => {
            e.preventDefault();
            void (mode.kind === 'new-order' ? createOrder() : receive());
          }}
        >
          {order ? (
            <p>
              Order {shortId(order.purchaseOrderId)} from <strong>{order.supplier}</strong> · {STATUS_LABEL[order.status]}
            </p>
          ) : (
            <>
              <label for="receive-supplier">Supplier</label>
              <input id="receive-supplier" value={supplier} autoComplete="off" onInput={(e) => setSupplier(e.currentTarget.value)} />
            </>
          )}
          {mode.kind === 'receive' ? (
            <>
              <label for="receive-reference">Delivery note number (optional)</label>
              <input id="receive-reference" value={reference} autoComplete="off" onInput={(e) => setReference(e.currentTarget.value)} />
            </>
          ) : (
            <>
              <label for="order-expected">Expected delivery (optional)</label>
              <input id="order-expected" type="date" value={expectedAt} onInput={(e) => setExpectedAt(e.currentTarget.value)} />
            </>
          )}
          <ProductPicker app={app} id="receive-product" label="Add a product: search or scan" onPick={addProduct} onUnknownCode={offerNewProduct} />
          <LinesTable
            lines={lines}
            receiving={mode.kind === 'receive'}
            catalogGet={(id) => catalog.get(id)}
            onChange={(key, change) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)))}
            onRemove={(key) => setLines((ls) => ls.filter((l) => l.key !== key))}
          />
          <FormActions
            submitLabel={mode.kind === 'new-order' ? 'Create purchase order' : 'Record delivery'}
            busy={busy}
            onCancel={() => {
              setErrors([]);
              setMode({ kind: 'list' });
            }}
          />
        </form>
      )}

      {newCode !== null && (
        <NewProductDialog
          app={app}
          code={newCode}
          purpose="receive it"
          onCancel={() => setNewCode(null)}
          onCreated={(product) => {
            setNewCode(null);
            if (mode.kind !== 'list') addProduct(product);
            else setNotice(`${product.name} is now in the catalog.`);
          }}
        />
      )}
    </section>
  );
}

function OrderRow(props: {
  order: PurchaseOrderView;
  productName(id: string): string;
  closing: boolean;
  closeReason: string;
  onReceive(): void;
  /** Closing an order is the owner's decision. */
  canClose: boolean;
  onClose(): void;
  onCloseReason(reason: string): void;
  onConfirmClose(): void;
  onCancelClose(): void;
}) {
  const { order } = props;
  const closed = order.status === 'closed';
  return (
    <li class="ops-order" data-order-id={order.purchaseOrderId} data-status={order.status}>
      <h3>
        {order.supplier ?? 'Unknown supplier'} · order {shortId(order.purchaseOrderId)} · <span data-testid="order-status">{STATUS_LABEL[order.status]}</span>
      </h3>
      {order.closedReason && <p class="hint">Closed: {order.closedReason}</p>}
      <div class="table-wrap">
        <table class="stock-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Ordered
              </th>
              <th scope="col" class="num">
                Received
              </th>
              <th scope="col" class="num">
                Outstanding
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.productId}>
                <th scope="row">{props.productName(line.productId)}</th>
                <td class="num">{line.ordered}</td>
                <td class="num">
                  {line.received}
                  {line.over > 0 && <span class="ops-over"> (+{line.over} over)</span>}
                </td>
                <td class="num">{line.outstanding}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!closed && !props.closing && (
        <div class="ops-actions">
          <button type="button" class="primary" onClick={props.onReceive}>
            Receive against this order
          </button>
          {props.canClose && (
            <button type="button" class="secondary" onClick={props.onClose}>
              Close order
            </button>
          )}
        </div>
      )}
      {props.closing && (
        <div class="ops-actions">
          <label for={`close-reason-${order.purchaseOrderId}`}>Reason for closing</label>
          <input id={`close-reason-${order.purchaseOrderId}`} value={props.closeReason} onInput={(e) => props.onCloseReason(e.currentTarget.value)} />
          <button type="button" class="danger" onClick={props.onConfirmClose}>
            Confirm close
          </button>
          <button type="button" class="secondary" onClick={props.onCancelClose}>
            Keep open
          </button>
        </div>
      )}
    </li>
  );
}

function LinesTable(props: {
  lines: Line[];
  receiving: boolean;
  catalogGet(id: string): ProductSnapshot | undefined;
  onChange(key: string, change: Partial<Line>): void;
  onRemove(key: string): void;
}) {
  if (props.lines.length === 0) return <p class="empty">No products yet: scan or search to add them.</p>;
  const onOrder = props.lines.some((l) => l.ordered !== undefined);
  return (
    <div class="table-wrap">
      <table class="stock-table ops-lines" aria-label="Lines">
        <thead>
          <tr>
            <th scope="col">Product</th>
            {onOrder && (
              <th scope="col" class="num">
                Ordered / received before
              </th>
            )}
            <th scope="col">{props.receiving ? 'Qty received' : 'Qty ordered'}</th>
            <th scope="col">Unit cost</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => {
            const product = props.catalogGet(line.productId);
            const name = product?.name ?? line.productId;
            const unit = product?.unit ?? 'each';
            const qty = parseQty(line.qtyText);
            const outstanding = line.ordered === undefined ? undefined : Math.max(0, line.ordered - (line.receivedBefore ?? 0));
            const delta = qty.ok && outstanding !== undefined ? qty.value - outstanding : 0;
            return (
              <tr key={line.key} data-product-id={line.productId}>
                <th scope="row">{name}</th>
                {onOrder && (
                  <td class="num">
                    {line.ordered === undefined ? 'not on order' : `${line.ordered} / ${line.receivedBefore ?? 0}`}
                    {delta > 0 && <span class="ops-over"> {delta} over</span>}
                    {delta < 0 && <span class="ops-short"> {-delta} short</span>}
                  </td>
                )}
                <td>
                  <label class="visually-hidden" for={`qty-${line.key}`}>
                    Quantity of {name}
                  </label>
                  <input
                    id={`qty-${line.key}`}
                    class="qty-input"
                    inputMode="numeric"
                    value={line.qtyText}
                    aria-invalid={!qty.ok}
                    onInput={(e) => props.onChange(line.key, { qtyText: e.currentTarget.value })}
                  />{' '}
                  {qtyUnitLabel(unit)}
                </td>
                <td>
                  <label class="visually-hidden" for={`cost-${line.key}`}>
                    {costLabel(unit)} of {name}
                  </label>
                  <input
                    id={`cost-${line.key}`}
                    class="money-input"
                    inputMode="decimal"
                    value={line.costText}
                    onInput={(e) => props.onChange(line.key, { costText: e.currentTarget.value })}
                  />
                  {unit !== 'each' && ` /${unit}`}
                </td>
                <td>
                  <button type="button" class="icon danger" aria-label={`Remove ${name}`} onClick={() => props.onRemove(line.key)}>
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What a recorded delivery did: stock now, and its journal entry. */
function ReceiptResult({ app, eventId }: { app: AppContext; eventId: string }) {
  const books = app.projection?.books;
  const event = books?.getEvent(eventId);
  if (!books || event?.kind !== 'goods-received') return null;
  const currency = app.settings.currency;
  return (
    <div class="ops-result-panel" data-testid="receipt-result">
      <h2>Last delivery: {event.supplier}</h2>
      <div class="table-wrap">
        <table class="stock-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Received
              </th>
              <th scope="col" class="num">
                Unit cost
              </th>
              <th scope="col" class="num">
                On hand now
              </th>
            </tr>
          </thead>
          <tbody>
            {event.lines.map((line) => {
              const product = app.catalog.get(line.productId);
              const unit = product?.unit ?? 'each';
              return (
                <tr key={line.productId} data-product-id={line.productId}>
                  <th scope="row">{product?.name ?? line.productId}</th>
                  <td class="num">{qtyWithUnit(line.qty, unit)}</td>
                  <td class="num">
                    {formatMoney(Math.round(line.unitCost * QTY_PER_PRICE_UNIT[unit]), currency)}
                    {unit !== 'each' && `/${unit}`}
                  </td>
                  <td class="num" data-testid="on-hand-now">
                    {qtyWithUnit(books.onHand(line.productId, event.locationId), unit)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <JournalTable entry={books.journalOf(eventId)} currency={currency} caption="Journal entry of this delivery" />
    </div>
  );
}

/** Defines a product for a code the catalog lacks, so the delivery can go on. */
