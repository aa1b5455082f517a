/**
 * Receiving (floor staff, tablet or phone) and purchase orders (owner).
 *
 * - A purchase order is one `purchase-order-created` event (supplier, lines with expected qty and
 *   unit cost); it moves no stock. `purchaseOrders(ledger)` gives each order's status.
 * - A delivery is one `goods-received` event, against an order (lines prefilled with what is still
 *   outstanding at the order's cost, editable: partial and over-deliveries are allowed and shown) or
 *   without one (scan or search items). The ledger posts stock, cost layers and the journal entry
 *   Inventory / Goods received not invoiced, shown after the receipt from `journalEntryOf(books, eventId)`.
 * - A scanned code the catalog lacks offers to define the product first (`product-defined`).
 * - `purchase-order-closed` ends an order (nothing more is expected).
 */
import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot, StockUnit } from '../../domain/events.ts';
import { QTY_PER_PRICE_UNIT } from '../../domain/events.ts';
import { journalEntryOf } from '../../domain/journal.ts';
import { formatMoney } from '../../domain/money.ts';
import { purchaseOrders, purchaseOrder, type PurchaseOrderStatus, type PurchaseOrderView } from '../../domain/purchase-orders.ts';
import { closePurchaseOrder, createPurchaseOrder, receiveGoods, type ReceiveGoodsInput } from '../../app/commands/index.ts';
import { useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { useScanInput } from '../hooks/use-scan-input.tsx';
import { newLineKey, useProductLines } from '../hooks/use-product-lines.ts';
import type { AppContext } from '../app-context.ts';
import { NewProductDialog } from '../components/NewProductDialog.tsx';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import { LinesTable, MoneyInput, QtyInput, REMOVE_HEADER, RemoveButton } from '../components/LinesTable.tsx';
import { costInputText, costLabel, parseQty, parseUnitCost, qtyWithUnit } from '../line-input.ts';
import { JournalTable, ProductPicker, locationName, shortId, OpsMessages, FormActions, OpsForm } from './store-ops.tsx';

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
  const { catalog } = app;
  const settings = useSettings(app);
  const books = useProjection(app)?.books ?? null;
  // Location names are read from the app as the screen draws: this re-draws it when they change.
  useLocations(app);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const lines = useProductLines<Line>();
  const [supplier, setSupplier] = useState('');
  const [reference, setReference] = useState('');
  const [expectedAt, setExpectedAt] = useState('');
  const action = useAction(app);
  const [newCode, setNewCode] = useState<string | null>(null);
  const [lastReceiptId, setLastReceiptId] = useState<string | null>(null);
  const [closing, setClosing] = useState<string | null>(null);
  const [closeReason, setCloseReason] = useState('Complete');
  const orders = useMemo(() => (books ? purchaseOrders(books) : []), [books, books?.size]);
  const productName = (id: string) => catalog.get(id)?.name ?? id;

  const addProduct = (product: ProductSnapshot) => {
    lines.add(product, { costText: costInputText(product.cost, product.unit, settings.currency) });
    action.say(`Added ${product.name}.`);
  };

  // Only the owner defines products (prices are theirs); staff are told whom to ask.
  const offerNewProduct = (code: string) => {
    if (app.role === 'owner') return setNewCode(code);
    action.refuse(`${code} is not in the catalog. Only the owner’s device can create products: ask the owner to add it, then scan it again.`);
  };
  const scanner = useScanInput(app, ({ code, match }) => {
    if (mode.kind === 'list') return action.say('Choose "Receive without an order" or an order to receive against, then scan.');
    if (match.found) addProduct(match.product);
    else offerNewProduct(code);
  });

  const start = (next: Mode) => {
    action.clear();
    setReference('');
    setExpectedAt('');
    setMode(next);
    const order = next.kind === 'receive' && next.purchaseOrderId && books ? purchaseOrder(books, next.purchaseOrderId) : undefined;
    setSupplier(order?.supplier ?? '');
    lines.set(
      (order?.lines ?? [])
        .filter((l) => l.ordered > 0)
        .map((l) => {
          const product = catalog.get(l.productId);
          const unit: StockUnit = product?.unit ?? 'each';
          return {
            key: newLineKey(),
            productId: l.productId,
            qtyText: String(l.outstanding),
            costText: costInputText(l.unitCost ?? product?.cost ?? 0, unit, settings.currency),
            ordered: l.ordered,
            receivedBefore: l.received,
          };
        }),
    );
  };

  /** The lines as typed, read into numbers; a line whose text is not a number is an input error. */
  const readLines = (): { lines: ReceiveGoodsInput['lines']; errors: string[] } => {
    const errors: string[] = [];
    const read = lines.lines.flatMap((line) => {
      const unit = catalog.get(line.productId)?.unit ?? 'each';
      const qty = parseQty(line.qtyText, 0);
      const cost = parseUnitCost(line.costText, unit, settings.currency);
      if (!qty.ok) errors.push(`${productName(line.productId)}: ${qty.error}`);
      if (!cost.ok) errors.push(`${productName(line.productId)}, ${costLabel(unit).toLowerCase()}: ${cost.error}`);
      return qty.ok && cost.ok ? [{ productId: line.productId, qty: qty.value, unitCost: cost.value }] : [];
    });
    return { lines: read, errors };
  };

  const createOrder = async () => {
    const read = readLines();
    await action.run(
      (context) => withInputErrors(read.errors, createPurchaseOrder.run({ supplier, expectedAt, lines: read.lines }, context)),
      () => {
        setMode({ kind: 'list' });
        lines.set([]);
        return `Purchase order for ${supplier.trim()} created with ${read.lines.length} ${read.lines.length === 1 ? 'line' : 'lines'}.`;
      },
    );
  };

  const receive = async () => {
    if (mode.kind !== 'receive') return;
    const read = readLines();
    await action.run(
      (context) => withInputErrors(read.errors, receiveGoods.run({ supplier, reference, purchaseOrderId: mode.purchaseOrderId, lines: read.lines }, context)),
      ([event]) => {
        if (!event) return;
        setLastReceiptId(event.id);
        setMode({ kind: 'list' });
        lines.set([]);
        return `Received ${read.lines.length} ${read.lines.length === 1 ? 'line' : 'lines'} from ${supplier.trim()} into ${locationName(app, event.locationId)}.`;
      },
    );
  };

  const closeOrder = async (purchaseOrderId: string) => {
    await action.run(
      (context) => closePurchaseOrder.run({ purchaseOrderId, reason: closeReason }, context),
      () => {
        setClosing(null);
        return 'The purchase order is closed: nothing more is expected on it.';
      },
    );
  };

  const order = mode.kind === 'receive' && mode.purchaseOrderId && books ? purchaseOrder(books, mode.purchaseOrderId) : undefined;

  return (
    <section class="screen ops receive" aria-labelledby="receive-title" data-scanner-ready={scanner.ready ? 'true' : undefined}>
      <h1 id="receive-title">
        {mode.kind === 'new-order' ? 'New purchase order' : mode.kind === 'receive' ? 'Receive a delivery' : 'Receive goods'}
      </h1>
      <p class="hint">Location: {locationName(app, settings.locationId)}</p>
      <StillSyncingNotice app={app} />
      <OpsMessages action={action} testId="receive" />

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
        <OpsForm onSubmit={() => void (mode.kind === 'new-order' ? createOrder() : receive())}>
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
          <ProductPicker app={app} scanner={scanner} id="receive-product" label="Add a product: search or scan" onPick={addProduct} onUnknownCode={offerNewProduct} />
          <DeliveryLines lines={lines.lines} receiving={mode.kind === 'receive'} app={app} onChange={lines.change} onRemove={lines.remove} />
          <FormActions
            submitLabel={mode.kind === 'new-order' ? 'Create purchase order' : 'Record delivery'}
            busy={action.busy}
            onCancel={() => {
              action.refuse();
              setMode({ kind: 'list' });
            }}
          />
        </OpsForm>
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
            else action.say(`${product.name} is now in the catalog.`);
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
      <LinesTable
        class=""
        lines={order.lines}
        keyOf={(line) => line.productId}
        columns={[
          { header: 'Product', rowHeader: true, cell: (line) => props.productName(line.productId) },
          { header: 'Ordered', num: true, cell: (line) => line.ordered },
          {
            header: 'Received',
            num: true,
            cell: (line) => (
              <>
                {line.received}
                {line.over > 0 && <span class="ops-over"> (+{line.over} over)</span>}
              </>
            ),
          },
          { header: 'Outstanding', num: true, cell: (line) => line.outstanding },
        ]}
      />
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

/** The lines of a delivery or an order: quantity and unit cost, and against an order what was expected. */
function DeliveryLines(props: { app: AppContext; lines: Line[]; receiving: boolean; onChange(key: string, change: Partial<Line>): void; onRemove(key: string): void }) {
  if (props.lines.length === 0) return <p class="empty">No products yet: scan or search to add them.</p>;
  const onOrder = props.lines.some((l) => l.ordered !== undefined);
  const productOf = (line: Line) => {
    const product = props.app.catalog.get(line.productId);
    return { name: product?.name ?? line.productId, unit: product?.unit ?? 'each' };
  };
  return (
    <LinesTable
      label="Lines"
      lines={props.lines}
      keyOf={(line) => line.key}
      rowData={(line) => ({ 'data-product-id': line.productId })}
      columns={[
        { header: 'Product', rowHeader: true, cell: (line) => productOf(line).name },
        onOrder && {
          header: 'Ordered / received before',
          num: true,
          cell: (line) => {
            const qty = parseQty(line.qtyText);
            const outstanding = line.ordered === undefined ? undefined : Math.max(0, line.ordered - (line.receivedBefore ?? 0));
            const delta = qty.ok && outstanding !== undefined ? qty.value - outstanding : 0;
            return (
              <>
                {line.ordered === undefined ? 'not on order' : `${line.ordered} / ${line.receivedBefore ?? 0}`}
                {delta > 0 && <span class="ops-over"> {delta} over</span>}
                {delta < 0 && <span class="ops-short"> {-delta} short</span>}
              </>
            );
          },
        },
        {
          header: props.receiving ? 'Qty received' : 'Qty ordered',
          cell: (line) => {
            const { name, unit } = productOf(line);
            return (
              <QtyInput
                id={`qty-${line.key}`}
                label={`Quantity of ${name}`}
                value={line.qtyText}
                unit={unit}
                invalid={!parseQty(line.qtyText).ok}
                onInput={(qtyText) => props.onChange(line.key, { qtyText })}
              />
            );
          },
        },
        {
          header: 'Unit cost',
          cell: (line) => {
            const { name, unit } = productOf(line);
            return (
              <>
                <MoneyInput id={`cost-${line.key}`} label={`${costLabel(unit)} of ${name}`} value={line.costText} onInput={(costText) => props.onChange(line.key, { costText })} />
                {unit !== 'each' && ` /${unit}`}
              </>
            );
          },
        },
        { header: REMOVE_HEADER, cell: (line) => <RemoveButton name={productOf(line).name} onRemove={() => props.onRemove(line.key)} /> },
      ]}
    />
  );
}

/** What a recorded delivery did: stock now, and its journal entry. */
function ReceiptResult({ app, eventId }: { app: AppContext; eventId: string }) {
  const books = app.projection?.books;
  const event = books?.getEvent(eventId);
  if (!books || event?.kind !== 'goods-received') return null;
  const currency = app.settings.currency;
  const unitOf = (productId: string) => app.catalog.get(productId)?.unit ?? 'each';
  return (
    <div class="ops-result-panel" data-testid="receipt-result">
      <h2>Last delivery: {event.supplier}</h2>
      <LinesTable
        class=""
        lines={event.lines}
        keyOf={(line) => line.productId}
        rowData={(line) => ({ 'data-product-id': line.productId })}
        columns={[
          { header: 'Product', rowHeader: true, cell: (line) => app.catalog.get(line.productId)?.name ?? line.productId },
          { header: 'Received', num: true, cell: (line) => qtyWithUnit(line.qty, unitOf(line.productId)) },
          {
            header: 'Unit cost',
            num: true,
            cell: (line) => {
              const unit = unitOf(line.productId);
              return (
                <>
                  {formatMoney(Math.round(line.unitCost * QTY_PER_PRICE_UNIT[unit]), currency)}
                  {unit !== 'each' && `/${unit}`}
                </>
              );
            },
          },
          { header: 'On hand now', num: true, testId: 'on-hand-now', cell: (line) => qtyWithUnit(books.onHand(line.productId, event.locationId), unitOf(line.productId)) },
        ]}
      />
      <JournalTable entry={journalEntryOf(books, eventId)} currency={currency} caption="Journal entry of this delivery" />
    </div>
  );
}

/** Defines a product for a code the catalog lacks, so the delivery can go on. */
