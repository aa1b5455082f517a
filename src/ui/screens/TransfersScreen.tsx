/**
 * Transfers between the store's locations. Sending records one `transfer-out` (a new transfer id;
 * the stock leaves this device's location and sits in transit at the sender's cost); the other end
 * records `transfer-in` for what actually arrived (prefilled with what is still on the way, editable).
 * `transfers(ledger)` gives each transfer's status and the discrepancy, sent − received.
 */
import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import { transfers, type TransferStatus, type TransferView } from '../../domain/transfers.ts';
import { DEMO_VARIABLE_MEASURE, lookupScan } from '../../domain/scan-lookup.ts';
import { uuidv7 } from '../../db/ids.ts';
import { useLocations, useProjection } from '../hooks/index.ts';
import type { AppContext } from '../app-context.ts';
import { ProductPicker, errorText, locationName, parseQty, qtyUnitLabel, qtyWithUnit, shortId, useWedgeScans, OpsMessages, FormActions } from './store-ops.tsx';

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
  const { catalog, settings } = app;
  const books = useProjection(app)?.books ?? null;
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [lines, setLines] = useState<Line[]>([]);
  const here = settings.locationId;
  const others = useLocations(app).filter((l) => l.id !== here);
  const [destination, setDestination] = useState(others[0]?.id ?? '');
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lastTransferId, setLastTransferId] = useState<string | null>(null);
  const list = useMemo(() => (books ? transfers(books).reverse() : []), [books, books?.size]);
  const productName = (id: string) => catalog.get(id)?.name ?? id;
  const unitOf = (id: string) => catalog.get(id)?.unit ?? 'each';

  const addProduct = (product: ProductSnapshot) => {
    setErrors([]);
    setLines((current) => {
      const existing = current.find((l) => l.productId === product.id);
      if (existing) {
        const qty = parseQty(existing.qtyText);
        return current.map((l) => (l === existing ? { ...l, qtyText: String((qty.ok ? qty.value : 0) + 1) } : l));
      }
      return [...current, { key: uuidv7(), productId: product.id, qtyText: '1' }];
    });
  };
  const scannerReady = useWedgeScans((code) => {
    if (mode.kind !== 'send') return;
    const match = lookupScan(code, (c) => catalog.byCode(c), DEMO_VARIABLE_MEASURE);
    if (match.found) addProduct(match.product);
    else setErrors([`${match.reason} Nothing was added.`]);
  });

  const startSend = () => {
    setErrors([]);
    setNotice(null);
    setLines([]);
    setDestination(others[0]?.id ?? '');
    setMode({ kind: 'send' });
  };

  const startReceive = (view: TransferView) => {
    setErrors([]);
    setNotice(null);
    setLines(
      view.lines
        .filter((l) => l.discrepancy > 0)
        .map((l) => ({ key: uuidv7(), productId: l.productId, qtyText: String(l.discrepancy), expected: l.discrepancy })),
    );
    setMode({ kind: 'receive', transferId: view.transferId });
  };

  const send = async () => {
    const problems: string[] = [];
    if (!app.locations.some((l) => l.id === here)) problems.push(`This device's location (${here}) is not one of the store's locations. Choose it in Settings first.`);
    if (!app.locations.some((l) => l.id === destination) || destination === here) problems.push('Choose the location to send to.');
    if (lines.length === 0) problems.push('Add at least one product: scan it or search for it.');
    const checked = lines.flatMap((line) => {
      const qty = parseQty(line.qtyText);
      if (!qty.ok) {
        problems.push(`${productName(line.productId)}: ${qty.error}`);
        return [];
      }
      const onHand = books?.onHand(line.productId, here) ?? 0;
      if (qty.value > onHand) {
        const unit = unitOf(line.productId);
        problems.push(`${productName(line.productId)}: only ${qtyWithUnit(Math.max(0, onHand), unit)} on hand at ${locationName(app, here)}, so ${qtyWithUnit(qty.value, unit)} cannot be sent. Count the shelf, or send less.`);
        return [];
      }
      return [{ productId: line.productId, qty: qty.value }];
    });
    setErrors(problems);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      const transferId = uuidv7();
      await app.record({ kind: 'transfer-out', transferId, toLocationId: destination, lines: checked });
      setLastTransferId(transferId);
      setNotice(`Transfer ${shortId(transferId)} sent to ${locationName(app, destination)}: ${checked.length} ${checked.length === 1 ? 'product' : 'products'} in transit.`);
      setMode({ kind: 'list' });
      setLines([]);
    } catch (error) {
      setErrors([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const receive = async (transferId: string) => {
    const view = list.find((t) => t.transferId === transferId);
    const problems: string[] = [];
    if (!view?.fromLocationId) problems.push('This transfer is not known on this device yet. Sync, then try again.');
    if (view?.toLocationId !== undefined && view.toLocationId !== here) {
      problems.push(`This transfer goes to ${locationName(app, view.toLocationId)}, but this device is at ${locationName(app, here)}.`);
    }
    const checked = lines.flatMap((line) => {
      const qty = parseQty(line.qtyText, 0);
      if (!qty.ok) {
        problems.push(`${productName(line.productId)}: ${qty.error}`);
        return [];
      }
      return qty.value > 0 ? [{ productId: line.productId, qty: qty.value }] : [];
    });
    if (problems.length === 0 && checked.length === 0) problems.push('Nothing to receive: enter the quantity that arrived for at least one product.');
    setErrors(problems);
    if (problems.length > 0 || !view?.fromLocationId) return;
    setBusy(true);
    try {
      await app.record({ kind: 'transfer-in', transferId, fromLocationId: view.fromLocationId, lines: checked });
      setLastTransferId(transferId);
      setNotice(`Transfer ${shortId(transferId)} received at ${locationName(app, here)}.`);
      setMode({ kind: 'list' });
      setLines([]);
    } catch (error) {
      setErrors([errorText(error)]);
    } finally {
      setBusy(false);
    }
  };

  const switchTo = async (locationId: string) => {
    await app.saveSettings({ ...settings, locationId });
    setNotice(`This device is now at ${locationName(app, locationId)}.`);
  };

  const last = lastTransferId ? list.find((t) => t.transferId === lastTransferId) : undefined;

  return (
    <section class="screen ops transfers" aria-labelledby="transfers-title" data-scanner-ready={scannerReady ? 'true' : undefined}>
      <h1 id="transfers-title">{mode.kind === 'send' ? 'Send stock' : mode.kind === 'receive' ? 'Receive a transfer' : 'Transfers'}</h1>
      <p class="hint">
        This device is at <strong data-testid="device-location">{locationName(app, here)}</strong>.
      </p>
      <OpsMessages notice={notice} errors={errors} testId="transfer" />

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
                        <button type="button" class="secondary" onClick={() => view.toLocationId && void switchTo(view.toLocationId)}>
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
        <form
          class="ops-form"
          onSubmit={(e) => {
            e.preventDefault();
            void (mode.kind === 'send' ? send() : receive(mode.transferId));
          }}
        >
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
              <ProductPicker app={app} id="transfer-product" label="Add a product: search or scan" onPick={addProduct} />
            </>
          ) : (
            <p>Enter what actually arrived; a difference from what was sent is kept as a discrepancy.</p>
          )}
          {lines.length === 0 ? (
            <p class="empty">No products yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="stock-table ops-lines" aria-label="Lines">
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col" class="num">
                      {mode.kind === 'send' ? `On hand here` : 'Sent'}
                    </th>
                    <th scope="col">{mode.kind === 'send' ? 'Qty to send' : 'Qty received'}</th>
                    <th scope="col">
                      <span class="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((line) => {
                    const name = productName(line.productId);
                    const unit = unitOf(line.productId);
                    return (
                      <tr key={line.key} data-product-id={line.productId}>
                        <th scope="row">{name}</th>
                        <td class="num">{qtyWithUnit(line.expected ?? books?.onHand(line.productId, here) ?? 0, unit)}</td>
                        <td>
                          <label class="visually-hidden" for={`tqty-${line.key}`}>
                            Quantity of {name}
                          </label>
                          <input
                            id={`tqty-${line.key}`}
                            class="qty-input"
                            inputMode="numeric"
                            value={line.qtyText}
                            onInput={(e) => {
                              const qtyText = e.currentTarget.value;
                              setLines((ls) => ls.map((l) => (l.key === line.key ? { ...l, qtyText } : l)));
                            }}
                          />{' '}
                          {qtyUnitLabel(unit)}
                        </td>
                        <td>
                          {mode.kind === 'send' && (
                            <button type="button" class="icon danger" aria-label={`Remove ${name}`} onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))}>
                              ✕
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <FormActions
            submitLabel={mode.kind === 'send' ? 'Send' : 'Record what arrived'}
            busy={busy}
            onCancel={() => {
              setErrors([]);
              setMode({ kind: 'list' });
            }}
          />
        </form>
      )}
    </section>
  );
}

function TransferLines({ view, productName, unitOf }: { view: TransferView; productName(id: string): string; unitOf(id: string): ProductSnapshot['unit'] }) {
  return (
    <div class="table-wrap">
      <table class="stock-table">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Received
            </th>
            <th scope="col" class="num">
              Difference
            </th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => (
            <tr key={line.productId} data-product-id={line.productId}>
              <th scope="row">{productName(line.productId)}</th>
              <td class="num">{qtyWithUnit(line.sent, unitOf(line.productId))}</td>
              <td class="num">{qtyWithUnit(line.received, unitOf(line.productId))}</td>
              <td class={`num ${line.discrepancy !== 0 ? 'ops-short' : ''}`} data-testid="discrepancy">
                {line.discrepancy === 0 ? '—' : line.discrepancy > 0 ? `${line.discrepancy} missing` : `${-line.discrepancy} extra`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
