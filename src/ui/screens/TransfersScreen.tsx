/**
 * Transfers between the store's locations. Sending records one `transfer-out` (a new transfer id;
 * the stock leaves this device's location and sits in transit at the sender's cost); the other end
 * records `transfer-in` for what actually arrived (prefilled with what is still on the way, editable).
 * `transfers(ledger)` gives each transfer's status and the discrepancy, sent − received.
 */
import { MoveDeviceDialog } from '../components/MoveDeviceDialog.tsx';
import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import { transfers, type TransferStatus, type TransferView } from '../../domain/transfers.ts';
import { receiveTransfer, sendTransfer, type SendTransferInput } from '../../app/commands/index.ts';
import { useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { useScanInput } from '../hooks/use-scan-input.tsx';
import { newLineKey, useProductLines } from '../hooks/use-product-lines.ts';
import type { AppContext } from '../app-context.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import { LinesTable, QtyInput, REMOVE_HEADER, RemoveButton } from '../components/LinesTable.tsx';
import { parseQty, qtyWithUnit } from '../line-input.ts';
import { ProductPicker, locationName, shortId, OpsMessages, FormActions, OpsForm } from './store-ops.tsx';

interface Line {
  key: string;
  productId: string;
  qtyText: string;
  /** Receiving: what is still on the way. */
  expected?: number;
}

type Mode = { kind: 'list' } | { kind: 'send' } | { kind: 'receive'; transferId: string };

const STATUS_LABEL: Record<TransferStatus, string> = {
  sent: 'In transit',
  'partially-received': 'Partly received',
  received: 'Received',
  'over-received': 'More received than sent',
  'not-sent': 'Received, dispatch not synced yet',
};

export function TransfersScreen({ app }: { app: AppContext }) {
  const { catalog } = app;
  const settings = useSettings(app);
  const books = useProjection(app)?.books ?? null;
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const lines = useProductLines<Line>();
  const here = settings.locationId;
  const others = useLocations(app).filter((l) => l.id !== here);
  const [destination, setDestination] = useState(others[0]?.id ?? '');
  const action = useAction(app);
  const [lastTransferId, setLastTransferId] = useState<string | null>(null);
  const list = useMemo(() => (books ? transfers(books).reverse() : []), [books, books?.size]);
  const productName = (id: string) => catalog.get(id)?.name ?? id;
  const unitOf = (id: string) => catalog.get(id)?.unit ?? 'each';

  const addProduct = (product: ProductSnapshot) => {
    action.refuse();
    lines.add(product, {});
  };
  const scanner = useScanInput(app, ({ match }) => {
    if (mode.kind !== 'send') return;
    if (match.found) addProduct(match.product);
    else action.refuse(`${match.reason} Nothing was added.`);
  });

  const startSend = () => {
    action.clear();
    lines.set([]);
    setDestination(others[0]?.id ?? '');
    setMode({ kind: 'send' });
  };

  const startReceive = (view: TransferView) => {
    action.clear();
    lines.set(
      view.lines
        .filter((l) => l.discrepancy > 0)
        .map((l) => ({ key: newLineKey(), productId: l.productId, qtyText: String(l.discrepancy), expected: l.discrepancy })),
    );
    setMode({ kind: 'receive', transferId: view.transferId });
  };

  /** The quantities as typed, read into numbers; a text that is not a number is an input error. */
  const readLines = (min: number): { lines: SendTransferInput['lines']; errors: string[] } => {
    const errors: string[] = [];
    const read = lines.lines.flatMap((line) => {
      const qty = parseQty(line.qtyText, min);
      if (qty.ok) return [{ productId: line.productId, qty: qty.value }];
      errors.push(`${productName(line.productId)}: ${qty.error}`);
      return [];
    });
    return { lines: read, errors };
  };

  const send = async () => {
    const read = readLines(1);
    await action.run(
      (context) => withInputErrors(read.errors, sendTransfer.run({ toLocationId: destination, lines: read.lines }, context)),
      ([event]) => {
        if (event?.kind !== 'transfer-out') return;
        setLastTransferId(event.transferId);
        setMode({ kind: 'list' });
        lines.set([]);
        return `Transfer ${shortId(event.transferId)} sent to ${locationName(app, destination)}: ${read.lines.length} ${read.lines.length === 1 ? 'product' : 'products'} in transit.`;
      },
    );
  };

  const receive = async (transferId: string) => {
    const read = readLines(0);
    await action.run(
      (context) => withInputErrors(read.errors, receiveTransfer.run({ transferId, lines: read.lines }, context)),
      () => {
        setLastTransferId(transferId);
        setMode({ kind: 'list' });
        lines.set([]);
        return `Transfer ${shortId(transferId)} received at ${locationName(app, here)}.`;
      },
    );
  };

  // Moving the device asks first, as in Settings: from now on its sales take stock from there.
  const [moveTo, setMoveTo] = useState<string | null>(null);
  const switchTo = async (locationId: string) => {
    setMoveTo(null);
    await app.saveDeviceSettings({ ...settings, locationId });
    action.say(`This device is now at ${locationName(app, locationId)}.`);
  };

  const last = lastTransferId ? list.find((t) => t.transferId === lastTransferId) : undefined;

  return (
    <section class="screen ops transfers" aria-labelledby="transfers-title" data-scanner-ready={scanner.ready ? 'true' : undefined}>
      <h1 id="transfers-title">{mode.kind === 'send' ? 'Send stock' : mode.kind === 'receive' ? 'Receive a transfer' : 'Transfers'}</h1>
      <p class="hint">
        This device is at <strong data-testid="device-location">{locationName(app, here)}</strong>.
      </p>
      <StillSyncingNotice app={app} />
      <OpsMessages action={action} testId="transfer" />
      {moveTo !== null && (
        <MoveDeviceDialog from={locationName(app, here)} to={locationName(app, moveTo)} onCancel={() => setMoveTo(null)} onConfirm={() => void switchTo(moveTo)} />
      )}

      {mode.kind === 'list' && (
        <>
          <div class="ops-actions">
            <button type="button" class="primary" onClick={startSend} disabled={others.length === 0}>
              Send stock to another location
            </button>
          </div>
          {last && last.lines.some((l) => l.discrepancy !== 0) && last.status !== 'sent' && <Discrepancies view={last} productName={productName} unitOf={unitOf} />}
          <h2>All transfers</h2>
          {!books && <p class="hint">Loading the books…</p>}
          {books && list.length === 0 && <p class="empty">No transfers yet.</p>}
          <ul class="ops-orders">
            {list.map((view) => (
              <li key={view.transferId} data-transfer-id={view.transferId} data-status={view.status}>
                <h3>
                  Transfer {shortId(view.transferId)}: {locationName(app, view.fromLocationId)} → {locationName(app, view.toLocationId)} ·{' '}
                  <span data-testid="transfer-status">{STATUS_LABEL[view.status]}</span>
                </h3>
                <TransferLines view={view} productName={productName} unitOf={unitOf} />
                {(view.status === 'sent' || view.status === 'partially-received') &&
                  (view.toLocationId === here ? (
                    <button type="button" class="primary" onClick={() => startReceive(view)}>
                      Receive here
                    </button>
                  ) : (
                    view.toLocationId !== undefined && (
                      <p class="hint">
                        Receive it on a device at {locationName(app, view.toLocationId)}.{' '}
                        <button type="button" class="secondary" onClick={() => view.toLocationId && setMoveTo(view.toLocationId)}>
                          This device is now at {locationName(app, view.toLocationId)}
                        </button>
                      </p>
                    )
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}

      {mode.kind !== 'list' && (
        <OpsForm onSubmit={() => void (mode.kind === 'send' ? send() : receive(mode.transferId))}>
          {mode.kind === 'send' ? (
            <>
              <label for="transfer-destination">Send to</label>
              <select id="transfer-destination" value={destination} onChange={(e) => setDestination(e.currentTarget.value)}>
                {others.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
              <ProductPicker app={app} scanner={scanner} id="transfer-product" label="Add a product: search or scan" onPick={addProduct} />
            </>
          ) : (
            <p>Enter what actually arrived; a difference from what was sent is kept as a discrepancy.</p>
          )}
          {lines.lines.length === 0 ? (
            <p class="empty">No products yet.</p>
          ) : (
            <LinesTable
              label="Lines"
              lines={lines.lines}
              keyOf={(line) => line.key}
              rowData={(line) => ({ 'data-product-id': line.productId })}
              columns={[
                { header: 'Product', rowHeader: true, cell: (line) => productName(line.productId) },
                {
                  header: mode.kind === 'send' ? 'On hand here' : 'Sent',
                  num: true,
                  cell: (line) => qtyWithUnit(line.expected ?? books?.onHand(line.productId, here) ?? 0, unitOf(line.productId)),
                },
                {
                  header: mode.kind === 'send' ? 'Qty to send' : 'Qty received',
                  cell: (line) => (
                    <QtyInput
                      id={`tqty-${line.key}`}
                      label={`Quantity of ${productName(line.productId)}`}
                      value={line.qtyText}
                      unit={unitOf(line.productId)}
                      onInput={(qtyText) => lines.change(line.key, { qtyText })}
                    />
                  ),
                },
                {
                  header: REMOVE_HEADER,
                  cell: (line) => mode.kind === 'send' && <RemoveButton name={productName(line.productId)} onRemove={() => lines.remove(line.key)} />,
                },
              ]}
            />
          )}
          <FormActions
            submitLabel={mode.kind === 'send' ? 'Send' : 'Record what arrived'}
            busy={action.busy}
            onCancel={() => {
              action.refuse();
              setMode({ kind: 'list' });
            }}
          />
        </OpsForm>
      )}
    </section>
  );
}

function TransferLines({ view, productName, unitOf }: { view: TransferView; productName(id: string): string; unitOf(id: string): ProductSnapshot['unit'] }) {
  return (
    <LinesTable
      class=""
      lines={view.lines}
      keyOf={(line) => line.productId}
      rowData={(line) => ({ 'data-product-id': line.productId })}
      columns={[
        { header: 'Product', rowHeader: true, cell: (line) => productName(line.productId) },
        { header: 'Sent', num: true, cell: (line) => qtyWithUnit(line.sent, unitOf(line.productId)) },
        { header: 'Received', num: true, cell: (line) => qtyWithUnit(line.received, unitOf(line.productId)) },
        {
          header: 'Difference',
          num: true,
          testId: 'discrepancy',
          class: (line) => (line.discrepancy !== 0 && view.status !== 'sent' ? 'ops-short' : ''),
          // Nothing received yet: what was sent is on its way, not missing (issue 14, item 9).
          cell: (line) =>
            line.discrepancy === 0 ? '—' : line.discrepancy < 0 ? `${-line.discrepancy} extra` : view.status === 'sent' ? `${line.discrepancy} in transit` : `${line.discrepancy} missing`,
        },
      ]}
    />
  );
}

function Discrepancies({ view, productName, unitOf }: { view: TransferView; productName(id: string): string; unitOf(id: string): ProductSnapshot['unit'] }) {
  return (
    <div class="notice warning ops-result-panel" role="status" data-testid="transfer-discrepancies">
      <p>Transfer {shortId(view.transferId)} does not match what was sent:</p>
      <ul>
        {view.lines
          .filter((l) => l.discrepancy !== 0)
          .map((l) => (
            <li key={l.productId}>
              {productName(l.productId)}: sent {qtyWithUnit(l.sent, unitOf(l.productId))}, received {qtyWithUnit(l.received, unitOf(l.productId))} (
              {l.discrepancy > 0 ? `${l.discrepancy} missing or still on the way` : `${-l.discrepancy} more than sent`})
            </li>
          ))}
      </ul>
    </div>
  );
}
