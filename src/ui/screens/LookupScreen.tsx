/**
 * Look up (floor staff, phone first): scan or search a product and see its price, barcodes, stock
 * per location, value at cost (on the owner's device only) and when it was last received. Hardware scanners work here as on the
 * Sell screen (keyboard wedge); the camera scanner loads only when "Scan" is pressed.
 */
import { useRef, useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import type { Books } from '../../domain/books/index.ts';
import { formatMoney } from '../../domain/money.ts';
import { CreateProductOffer } from '../components/CreateProductOffer.tsx';
import { useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { CameraButton, ScanCamera, useScanInput } from '../hooks/use-scan-input.tsx';
import { useProductSearch } from '../hooks/use-product-search.ts';
import { ProductResults, ProductSearchForm } from '../components/ProductSearch.tsx';
import { useOnHand, type OnHandOf } from '../hooks/use-on-hand.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import type { AppContext } from '../app-context.ts';
import './lookup-screen.css';

/** unknownCode: a scanned code that matched no product (the owner may create one for it). */
type Notice = { tone: 'info' | 'warning'; text: string; unknownCode?: string } | null;

/** The last time stock of a product arrived: goods received, or the opening balance. */
export interface LastReceived {
  date: string;
  locationId: string;
  qty: number;
  unitCost: number | undefined;
  kind: 'goods-received' | 'opening-balance';
  supplier?: string;
}

export function lastReceivedOf(books: Books, productId: string): LastReceived | null {
  const movements = books.movements(productId);
  for (let i = movements.length - 1; i >= 0; i--) {
    const movement = movements[i];
    if (movement === undefined || movement.qty <= 0) continue;
    if (movement.kind !== 'goods-received' && movement.kind !== 'opening-balance') continue;
    const event = books.getEvent(movement.eventId);
    let unitCost: number | undefined = movement.qty > 0 ? Math.round(movement.value / movement.qty) : undefined;
    let supplier: string | undefined;
    if (event?.kind === 'goods-received' || event?.kind === 'opening-balance') {
      const line = event.lines.find((l) => l.productId === productId);
      if (line) unitCost = line.unitCost;
      if (event.kind === 'goods-received') supplier = event.supplier;
    }
    return {
      date: event?.recordedAt ?? '',
      locationId: movement.locationId,
      qty: movement.qty,
      unitCost,
      kind: movement.kind,
      ...(supplier ? { supplier } : {}),
    };
  }
  return null;
}

export function LookupScreen({ app }: { app: AppContext }) {
  const { catalog } = app;
  const settings = useSettings(app);
  const locations = useLocations(app);
  const search = useProductSearch(app, 20);
  const [productId, setProductId] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const projection = useProjection(app);
  const books = projection?.books ?? null;
  const product = productId === null ? undefined : catalog.get(productId);
  const onHandOf = useOnHand(app, productId);
  const money = (amount: number) => formatMoney(amount, settings.currency);

  const show = (found: ProductSnapshot) => {
    setProductId(found.id);
    setNotice(null);
    search.setQuery('');
    // Move focus to the answer so a screen reader reads it and a phone scrolls to it.
    requestAnimationFrame(() => resultRef.current?.focus());
  };

  const scanner = useScanInput(app, ({ code, match }) => {
    // Found or not, the camera has done its job: the answer (or why there is none) comes into view.
    scanner.camera.close();
    if (match.found) return show(match.product);
    setProductId(null);
    search.setQuery(code);
    setNotice({ tone: 'warning', text: `${match.reason} Search by name below, or scan again.`, unknownCode: code });
    searchRef.current?.focus();
  });

  return (
    <section class="screen lookup" aria-labelledby="lookup-title" data-scanner-ready={scanner.ready ? 'true' : undefined}>
      <h1 id="lookup-title">Look up a product</h1>
      <ProductSearchForm
        search={search}
        id="lookup-search"
        label="Search or scan"
        class="lookup-search"
        rowClass="lookup-search-row"
        inputRef={searchRef}
        onPick={show}
        onNoMatch={(text) => void scanner.scan(text)}
      >
        <CameraButton scanner={scanner} label="Scan" stopLabel="Stop scanning" class="primary lookup-scan" />
      </ProductSearchForm>
      <ScanCamera scanner={scanner} mode="lookup" />
      {notice && (
        <p class={`notice ${notice.tone}`} role={notice.tone === 'warning' ? 'alert' : 'status'} data-testid="lookup-notice">
          {notice.text}
        </p>
      )}
      <CreateProductOffer
        app={app}
        code={notice?.unknownCode ?? null}
        purpose="look it up and receive it"
        onCreated={(product) => {
          setNotice(null);
          show(product);
        }}
      />
      {search.query.trim() !== '' && (
        <ProductResults
          products={search.results}
          label="Matching products"
          class="lookup-results"
          buttonClass="lookup-result"
          onPick={show}
          empty={<li class="empty">Nothing matches “{search.query}”.</li>}
        >
          {(p) => (
            <>
              <span class="name">{p.name}</span>
              <span class="price">{money(p.price)}</span>
            </>
          )}
        </ProductResults>
      )}
      {product && <StillSyncingNotice app={app} />}
      {product ? (
        <ProductFacts
          product={product}
          onHandOf={onHandOf}
          books={books}
          locations={locations}
          money={money}
          headingRef={resultRef}
          canEdit={app.role === 'owner'}
          showCost={app.role === 'owner'}
        />
      ) : (
        !notice && search.query.trim() === '' && <p class="hint">Scan a barcode, or type a name, SKU or barcode.</p>
      )}
    </section>
  );
}

function qtyText(qty: number, unit: string): string {
  return unit === 'each' ? String(qty) : `${(qty / 1000).toLocaleString()} ${unit}`;
}

function ProductFacts(props: {
  product: ProductSnapshot;
  onHandOf: OnHandOf;
  books: Books | null;
  locations: AppContext['locations'];
  money(amount: number): string;
  headingRef: { current: HTMLHeadingElement | null };
  /** The owner's device: products and prices are the owner's to change (Edit product). */
  canEdit: boolean;
  /** Value at cost and the cost of the last delivery: the owner's figures, not shown on a staff device. */
  showCost: boolean;
}) {
  const { product, onHandOf, books, locations, money } = props;
  const onHand = (locationId: string): number => onHandOf(product.id, locationId);
  const total = locations.reduce((sum, l) => sum + onHand(l.id), 0);
  const value = books && props.showCost ? locations.reduce((sum, l) => sum + books.valuationOf(product.id, l.id).value, 0) : null;
  const received = books ? lastReceivedOf(books, product.id) : null;
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  const unitPrice = product.unit === 'each' ? '' : `/${product.unit}`;

  return (
    <article class="lookup-product" data-testid="lookup-product" data-product-id={product.id} aria-labelledby="lookup-product-name">
      <h2 id="lookup-product-name" ref={props.headingRef} tabIndex={-1}>
        {product.name}
        {!product.active && <span class="flag"> (no longer sold)</span>}
      </h2>
      <p class="lookup-price" data-testid="lookup-price">
        {money(product.price)}
        {unitPrice}
      </p>
      {props.canEdit && (
        <p>
          <a class="lookup-edit" href={`#/product?id=${encodeURIComponent(product.id)}`}>
            Edit product
          </a>{' '}
          <a class="lookup-edit" href={`#/reorder?product=${encodeURIComponent(product.id)}`} data-testid="lookup-forecast">
            Forecast and reorder levels
          </a>
        </p>
      )}
      <dl class="lookup-facts">
        <dt>SKU</dt>
        <dd>{product.sku}</dd>
        <dt>{product.barcodes.length === 1 ? 'Barcode' : 'Barcodes'}</dt>
        <dd data-testid="lookup-barcodes">
          {product.barcodes.map((code) => (
            <span key={code} class="lookup-barcode">
              {code}
            </span>
          ))}
        </dd>
      </dl>

      <h3>On hand</h3>
      <table class="lookup-stock">
        <caption class="visually-hidden">On hand of {product.name} per location</caption>
        <tbody>
          {locations.map((l) => {
            const qty = onHand(l.id);
            return (
              <tr key={l.id} data-location-id={l.id}>
                <th scope="row">{l.name}</th>
                <td class={`num ${qty < 0 ? 'negative' : ''}`} data-testid={`on-hand-${l.id}`}>
                  {qtyText(qty, product.unit)}
                  {qty < 0 && <span class="flag"> oversold</span>}
                </td>
              </tr>
            );
          })}
          <tr class="lookup-total">
            <th scope="row">All locations</th>
            <td class="num" data-testid="on-hand-total">
              {qtyText(total, product.unit)}
            </td>
          </tr>
        </tbody>
      </table>

      <dl class="lookup-facts">
        {props.showCost && (
          <>
            <dt>Value at cost</dt>
            <dd data-testid="lookup-value">{value === null ? 'Valuing…' : money(value)}</dd>
          </>
        )}
        <dt>Last received</dt>
        <dd data-testid="lookup-last-received">
          {books === null
            ? '…'
            : received === null
              ? 'Never received'
              : `${received.date ? new Date(received.date).toLocaleDateString() : 'unknown date'} · ${qtyText(received.qty, product.unit)} at ${locationName(received.locationId)}${
                  received.unitCost === undefined || !props.showCost ? '' : ` · ${money(received.unitCost)} ${product.unit === 'each' ? 'each' : `per ${product.unit === 'kg' ? 'g' : 'ml'}`}`
                }${received.kind === 'opening-balance' ? ' (opening stock)' : received.supplier ? ` from ${received.supplier}` : ''}`}
        </dd>
      </dl>
    </article>
  );
}
