/**
 * Counts (floor staff on a phone, the owner for review): open a count session for this device's
 * location, choosing what happens to products nobody counts; count it from one or several devices
 * by scanning (hand scanner or camera), with +/−, or by typing how many the next scan or pick adds
 * (a case of 24); then review and approve after a confirmation with the totals. The approval takes
 * effect as at the moment each product was counted: what was received or sold since is kept.
 *
 * Increments from every device merge by sum through sync (`countSession` in src/domain). In a blind
 * app the counting view never shows what the ledger expects; the review (owner) does.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { countSession, isInApproval, type CountSessionLine, type CountSessionView } from '../../domain/count-sessions.ts';
import type { ProductSnapshot, StockUnit, UncountedProducts } from '../../domain/events.ts';
import type { Books } from '../../domain/books/index.ts';
import { formatMoney } from '../../domain/money.ts';
import { approveCount, openCount, recordCount } from '../../app/commands/index.ts';
import { useCatalogLoaded, useLocations, useProjection } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';
import { CameraButton, ScanCamera, useScanInput } from '../hooks/use-scan-input.tsx';
import { useProductSearch } from '../hooks/use-product-search.ts';
import { ProductResults, ProductSearchForm } from '../components/ProductSearch.tsx';
import { LinesTable } from '../components/LinesTable.tsx';
import type { AppContext } from '../app-context.ts';
import './count-screen.css';

type View = { kind: 'list' } | { kind: 'count'; id: string } | { kind: 'review'; id: string };

function allCounts(books: Books): CountSessionView[] {
  return books.idsOf('count-session').flatMap((id) => countSession(books, id) ?? []);
}

export function CountScreen({ app }: { app: AppContext }) {
  const books = useProjection(app)?.books ?? null;
  // Location names are read from the app as the screen draws: this re-draws it when they change.
  useLocations(app);
  useCatalogLoaded(app);
  const [view, setView] = useState<View>({ kind: 'list' });
  if (!books) return <section class="screen count-screen"><p class="hint">Loading the books…</p></section>;
  const current = view.kind === 'list' ? undefined : countSession(books, view.id);
  if (view.kind === 'count' && current) return <CountingView app={app} books={books} view={current} onBack={() => setView({ kind: 'list' })} />;
  if (view.kind === 'review' && current) return <ReviewView app={app} view={current} onBack={() => setView({ kind: 'list' })} />;
  return <SessionList app={app} books={books} onOpen={setView} />;
}

function locationName(app: AppContext, locationId: string | undefined): string {
  return app.locations.find((l) => l.id === locationId)?.name ?? locationId ?? 'unknown location';
}

function SessionList({ app, books, onOpen }: { app: AppContext; books: Books; onOpen(view: View): void }) {
  const counts = allCounts(books);
  const open = counts.filter((s) => s.status === 'open');
  const approved = counts.filter((s) => s.status === 'approved').slice(-10).reverse();
  const here = app.settings.locationId;
  return (
    <section class="screen count-screen" aria-labelledby="count-title">
      <h1 id="count-title">Counts</h1>
      <NewSessionForm app={app} onCreated={(id) => onOpen({ kind: 'count', id })} />
      <h2>Open counts</h2>
      {open.length === 0 && <p class="empty">No count is open. Start one above.</p>}
      <ul class="count-list" aria-label="Open counts">
        {open.map((s) => (
          <li key={s.countSessionId} data-count-session={s.countSessionId}>
            <div>
              <strong>{s.name ?? 'Count (details not synced yet)'}</strong>
              <span class="hint">
                {' '}
                · {locationName(app, s.locationId)} · {s.blind ? 'blind' : 'not blind'} · {s.lines.filter((l) => l.recorded).length} products counted ·{' '}
                {s.uncounted === 'set-to-zero' ? 'products not counted go to zero' : 'products not counted keep their stock'}
              </span>
            </div>
            {s.locationId === here ? (
              <div class="count-session-actions">
                <button type="button" class="primary" onClick={() => onOpen({ kind: 'count', id: s.countSessionId })}>
                  Count {s.name}
                </button>
                {/* A blind count hides the expected quantities from the counters: only the owner reviews it. */}
                {(app.role === 'owner' || !s.blind) && (
                  <button type="button" class="secondary" onClick={() => onOpen({ kind: 'review', id: s.countSessionId })}>
                    Review {s.name}
                  </button>
                )}
              </div>
            ) : (
              <p class="hint">This count is at {locationName(app, s.locationId)}; set this device to that location in Settings to count it.</p>
            )}
          </li>
        ))}
      </ul>
      {approved.length > 0 && (
        <>
          <h2>Recently approved</h2>
          <ul class="count-list" aria-label="Approved counts">
            {approved.map((s) => (
              <li key={s.countSessionId} data-count-session={s.countSessionId}>
                <strong>{s.name}</strong>
                <span class="hint"> · {locationName(app, s.locationId)} · {s.lines.length} products</span>{' '}
                <button type="button" class="secondary" onClick={() => onOpen({ kind: 'review', id: s.countSessionId })}>
                  Show {s.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function NewSessionForm({ app, onCreated }: { app: AppContext; onCreated(id: string): void }) {
  const { catalog, settings } = app;
  const [name, setName] = useState('');
  const [blind, setBlind] = useState(true);
  const [limited, setLimited] = useState(false);
  const [uncounted, setUncounted] = useState<UncountedProducts>('leave');
  const search = useProductSearch(app, 20);
  const [picked, setPicked] = useState<string[]>([]);
  const opening = useAction(app);

  const toggle = (id: string) => setPicked((list) => (list.includes(id) ? list.filter((p) => p !== id) : [...list, id]));
  const submit = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const events = await opening.run((context) => openCount.run({ name, blind, uncounted, ...(limited ? { productIds: picked } : {}) }, context));
    const opened = events?.[0];
    if (opened?.kind !== 'count-session-opened') return;
    setName('');
    setPicked([]);
    search.setQuery('');
    onCreated(opened.countSessionId);
  };

  return (
    <form class="count-new" onSubmit={(e) => void submit(e)} aria-labelledby="count-new-title">
      <h2 id="count-new-title">New count at {locationName(app, settings.locationId)}</h2>
      <label for="count-name">Name of the count</label>
      <input id="count-name" value={name} placeholder="Aisle 3" autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} />
      <label class="check">
        <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.currentTarget.checked)} /> Blind count (counters do not see the expected quantity)
      </label>
      <label class="check">
        <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.currentTarget.checked)} /> Only some products (an aisle or a shelf)
      </label>
      {limited && (
        <div class="count-pick">
          <label for="count-pick-search">Find products to include</label>
          <input id="count-pick-search" type="search" value={search.query} autoComplete="off" onInput={(e) => search.setQuery(e.currentTarget.value)} />
          <ul aria-label="Products to include">
            {[...new Set([...picked, ...search.results.map((p) => p.id)])].map((id) => {
              const product = catalog.get(id);
              return (
                product && (
                  <li key={id}>
                    <label class="check">
                      <input type="checkbox" checked={picked.includes(id)} onChange={() => toggle(id)} /> {product.name}
                    </label>
                  </li>
                )
              );
            })}
          </ul>
          <p class="hint">{picked.length} products picked.</p>
        </div>
      )}
      <fieldset class="count-uncounted">
        <legend>Products nobody counts</legend>
        <label class="check">
          <input type="radio" name="count-uncounted" checked={uncounted === 'leave'} onChange={() => setUncounted('leave')} /> Leave their stock as it is
        </label>
        <label class="check">
          <input type="radio" name="count-uncounted" checked={uncounted === 'set-to-zero'} onChange={() => setUncounted('set-to-zero')} /> Set their stock to zero
          (a full count: what was not found is not there)
        </label>
      </fieldset>
      <p class="hint">
        First stock-take of the store? Use a count like any other: a product with no stock yet simply takes the quantity you count (its opening balance).
      </p>
      {opening.messages.length > 0 && (
        <p class="error" role="alert">
          {opening.messages[0]}
        </p>
      )}
      <button type="submit" class="primary" disabled={opening.busy}>
        Start count
      </button>
    </form>
  );
}

function CountingView({ app, books, view, onBack }: { app: AppContext; books: Books; view: CountSessionView; onBack(): void }) {
  const { catalog } = app;
  const counting = useAction(app);
  const search = useProductSearch(app, 12);
  /** This device's increments in this view, newest last, for "Undo last". */
  const [mine, setMine] = useState<{ product: ProductSnapshot; qty: number }[]>([]);
  /** What the next scan or pick adds, as typed: 1 unless a case or a stack is typed (24). */
  const [perPick, setPerPick] = useState('1');
  const qtyField = useRef<HTMLInputElement>(null);
  const nextQty = quantityTyped(perPick);
  const id = view.countSessionId;
  const scope = useMemo(() => {
    const opened = books.eventsFor('count-session', id).find((e) => e.kind === 'count-session-opened');
    return opened?.kind === 'count-session-opened' && opened.productIds ? new Set(opened.productIds) : null;
  }, [books, id]);
  const approved = view.status === 'approved';
  const showExpected = !view.blind;

  /** Records `qty` of the product in this count; a refusal (approved, not in the count) is the notice. */
  const record = async (product: ProductSnapshot, qty: number): Promise<boolean> =>
    (await counting.run((context) => recordCount.run({ countSessionId: id, productId: product.id, qty }, context))) !== null;

  /** Adds `qty` pieces (the typed quantity for a scan or a pick, 1 for a row's +); a typed quantity is used once. */
  const add = async (product: ProductSnapshot, fixedQty?: number) => {
    // Read from the field itself: a hand scanner may have typed into it a moment ago, and only the
    // field already has its characters taken back out (the screen's state has not caught up yet).
    const text = qtyField.current?.value ?? perPick;
    const qty = fixedQty ?? quantityTyped(text);
    if (qty === null) {
      counting.refuse(`"${text}" is not a quantity: type a whole number from 1 to ${MAX_TYPED_QTY} in "How many the next scan or pick adds". Nothing was counted.`);
      return;
    }
    if (product.unit !== 'each') {
      counting.refuse(`${product.name} is sold by weight: weigh it and use the scale label, which counts its weight.`);
      return;
    }
    if (await record(product, qty)) {
      setMine((list) => [...list, { product, qty }]);
      setPerPick('1');
      counting.say(`Counted ${qty} × ${product.name}.`);
    }
  };

  const scanner = useScanInput(app, ({ match }) => {
    if (!match.found) {
      counting.refuse(`${match.reason} Nothing was counted. Check the code, or find the product by name below.`);
      return;
    }
    if (match.measured) {
      void record(match.product, match.qty).then((ok) => ok && counting.say(`Counted ${match.qty} ${match.product.unit === 'kg' ? 'g' : 'ml'} of ${match.product.name}.`));
      return;
    }
    void add(match.product);
  });

  const undoLast = async () => {
    const last = mine[mine.length - 1];
    if (!last) return;
    if (await record(last.product, -last.qty)) {
      setMine((list) => list.slice(0, -1));
      counting.say(`Took back ${last.qty} × ${last.product.name}.`);
    }
  };


  const lines = view.lines.filter((l) => l.recorded || scope !== null);
  return (
    <section class="screen count-screen counting" aria-labelledby="counting-title" data-scanner-ready={scanner.ready ? 'true' : undefined} data-blind={view.blind ? 'true' : 'false'}>
      <button type="button" class="secondary back" onClick={onBack}>
        ← All counts
      </button>
      <h1 id="counting-title">Counting: {view.name}</h1>
      <p class="hint">
        {locationName(app, view.locationId)} · {view.blind ? 'Blind count: expected quantities are hidden.' : 'Expected quantities are shown.'} Scan each item once, or type how
        many first (a case of 24) and scan or pick it once; counts from every device add up after sync.
      </p>
      {approved && <p class="notice warning">This count has been approved; further counts change nothing.</p>}
      <ProductSearchForm
        search={search}
        id="count-search"
        label="Scan or find a product"
        onPick={(p) => void add(p)}
        onNoMatch={(text) => counting.refuse(`Nothing matches "${text}". Nothing was counted.`)}
      >
        <CameraButton scanner={scanner} />
      </ProductSearchForm>
      <div class="count-qty">
        <label for="count-qty">How many the next scan or pick adds</label>
        <input
          id="count-qty"
          ref={qtyField}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_TYPED_QTY}
          step={1}
          value={perPick}
          aria-describedby="count-qty-hint"
          onInput={(e) => setPerPick(e.currentTarget.value)}
        />
        <p class="hint" id="count-qty-hint">
          {nextQty !== null && nextQty > 1
            ? `The next scan or pick adds ${nextQty} to what is counted, then this goes back to 1.`
            : 'Counting a case or a stack? Type how many (24), then scan or pick the product once: it is added to what is counted.'}
        </p>
      </div>
      {search.results.length > 0 && (
        <ProductResults
          products={search.results}
          label="Search results"
          class="count-results"
          buttonClass="secondary"
          search={search}
          onPick={(p) => void add(p)}
        >
          {(p) => (nextQty !== null && nextQty > 1 ? `+ ${nextQty} × ${p.name}` : `+ ${p.name}`)}
        </ProductResults>
      )}
      <ScanCamera scanner={scanner} mode="count" />
      {/* Why a scan counted nothing (a warning), or what it counted. */}
      {counting.errors.length > 0 ? (
        <p class="notice warning" role="alert" data-testid="count-notice">
          {counting.messages.join(' ')}
        </p>
      ) : (
        counting.notice && (
          <p class="notice info" role="status" data-testid="count-notice">
            {counting.notice}
          </p>
        )
      )}
      <div class="count-actions">
        <button type="button" class="secondary" onClick={() => void undoLast()} disabled={mine.length === 0}>
          Undo last
        </button>
      </div>
      {lines.length === 0 ? (
        <p class="empty">Nothing counted yet. Scan the first item.</p>
      ) : (
        <LinesTable
          label="Counted so far"
          class="count-table"
          lines={lines}
          keyOf={(line) => line.productId}
          rowData={(line) => ({ 'data-product-id': line.productId })}
          columns={[
            { header: 'Product', cell: (line) => catalog.get(line.productId)?.name ?? line.productId },
            { header: 'Counted', num: true, testId: 'counted', cell: (line) => line.counted },
            showExpected && { header: 'Expected', num: true, cell: (line) => line.expected },
            {
              header: <span class="visually-hidden">Change</span>,
              class: () => 'count-step',
              cell: (line) => {
                const product = catalog.get(line.productId);
                if (product?.unit !== 'each') return null;
                return (
                  <>
                    <button type="button" class="icon" aria-label={`One less ${product.name}`} disabled={line.counted <= 0} onClick={() => void record(product, -1)}>
                      −
                    </button>
                    <button type="button" class="icon" aria-label={`One more ${product.name}`} onClick={() => void add(product, 1)}>
                      +
                    </button>
                  </>
                );
              },
            },
          ]}
        />
      )}
    </section>
  );
}

/** The most one typed count may add: more is surely a slip (two quantities typed together). */
const MAX_TYPED_QTY = 9999;

/** A typed quantity to add, or null when the text is not a whole number from 1 to MAX_TYPED_QTY. */
function quantityTyped(text: string): number | null {
  const qty = Number(text);
  return text.trim() !== '' && Number.isInteger(qty) && qty >= 1 && qty <= MAX_TYPED_QTY ? qty : null;
}

function ReviewView({ app, view, onBack }: { app: AppContext; view: CountSessionView; onBack(): void }) {
  const { catalog, settings } = app;
  const approval = useAction(app);
  const [confirming, setConfirming] = useState(false);
  const money = (amount: number) => formatMoney(amount, settings.currency);
  // Variances valued at cost are the owner's figures (issue 15): a staff device shows quantities only.
  const showCost = app.role === 'owner';
  const open = view.status === 'open';
  // What approving sets (open), or what the approval set: counted products, and those it zeroes.
  const shown = view.lines.filter((l) => (open ? isInApproval(l) : true));
  const left = view.lines.filter((l) => open && !isInApproval(l));
  const totals = adjustmentTotals(shown, (productId) => catalog.get(productId)?.unit ?? 'each');
  const name = (line: CountSessionLine) => catalog.get(line.productId)?.name ?? line.productId;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

  const approve = async () => {
    const events = await approval.run((context) => approveCount.run({ countSessionId: view.countSessionId }, context));
    if (events) setConfirming(false);
  };

  return (
    <section class="screen count-screen review" aria-labelledby="review-title" data-status={view.status}>
      <button type="button" class="secondary back" onClick={onBack}>
        ← All counts
      </button>
      <h1 id="review-title">Review: {view.name}</h1>
      <p class="hint">
        {locationName(app, view.locationId)} ·{' '}
        {open
          ? 'Counts from other devices appear after they sync ("Sync now"). Approving sets each product to what was counted as at the moment it was counted: what was received or sold since is kept.'
          : 'Approved: each product was set to what was counted as at the moment it was counted, what moved since was kept, and the differences were posted to shrinkage.'}
      </p>
      <p class="notice info" data-testid="uncounted-rule">
        {view.uncounted === 'set-to-zero'
          ? 'Products nobody counted are set to zero as at the start of the count (marked "not counted" below); anything received or sold since is kept.'
          : `Products nobody counted keep their stock as it is${left.length > 0 ? ` (${left.length} in this count were not counted)` : ''}.`}
      </p>
      <p class="hint" id="review-columns">
        Expected: on hand when the product was counted. Variance: counted − expected (posted to shrinkage). Since: received (+) or sold (−) after it was
        counted, kept. After: the stock once approved.
      </p>
      {view.lateIncrements > 0 && <p class="notice warning">{view.lateIncrements} counts arrived after the approval; they changed nothing.</p>}
      {shown.length === 0 ? (
        <p class="empty">Nothing has been counted in this app yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="stock-table review-table" aria-label="Variances" aria-describedby="review-columns">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">Counted</th>
                <th scope="col" class="num">Expected</th>
                <th scope="col" class="num">Variance</th>
                <th scope="col" class="num">Since</th>
                <th scope="col" class="num">After</th>
                {showCost && <th scope="col" class="num">Value</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((line) => (
                <tr key={line.productId} data-product-id={line.productId}>
                  <th scope="row">{name(line)}</th>
                  <td class="num" data-col="counted" data-label="Counted">
                    {line.counted}
                    {!line.recorded && <span class="hint"> (not counted)</span>}
                  </td>
                  <td class="num" data-col="expected" data-label="Expected">{line.expected}</td>
                  <td class={`num${line.varianceQty < 0 ? ' negative' : ''}`} data-col="variance" data-label="Variance">
                    {signed(line.varianceQty)}
                  </td>
                  <td class="num" data-col="moved" data-label="Since">{signed(line.movedSince)}</td>
                  <td class="num" data-col="resulting" data-label="After">{line.resulting}</td>
                  {showCost && (
                    <td class={`num${line.varianceValue < 0 ? ' negative' : ''}`} data-col="value" data-label="Value">
                      {money(line.varianceValue)}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
            {showCost && (
              <tfoot>
                <tr>
                  <th scope="row" colSpan={6}>{totals.value < 0 ? 'Shrinkage' : 'Found stock'}</th>
                  <td class="num" data-testid="variance-total">
                    {money(totals.value)}
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
      {approval.messages.length > 0 && !confirming && (
        <p class="error" role="alert">
          {approval.messages[0]}
        </p>
      )}
      {open &&
        (app.role === 'owner' ? (
          <button type="button" class="primary" disabled={approval.busy} onClick={() => setConfirming(true)}>
            Approve count
          </button>
        ) : (
          <p class="notice info" data-testid="approve-owner-only">
            Only the owner’s device approves counts. This device’s counts reach it when they sync.
          </p>
        ))}
      {open && confirming && (
        <div class="dialog-backdrop">
          <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="approve-count-title" aria-describedby="approve-count-what">
            <h2 id="approve-count-title">Approve “{view.name}”?</h2>
            <div id="approve-count-what">
              <dl class="approve-totals" data-testid="approve-totals">
                <dt>Products set</dt>
                <dd data-total="products">{totals.products}</dd>
                <dt>Stock adjusted</dt>
                <dd data-total="units">{unitsText(totals.units)}</dd>
                <dt>{totals.value < 0 ? 'Shrinkage' : 'Found stock'}</dt>
                <dd data-total="value">{money(totals.value)}</dd>
              </dl>
              <p>
                Each product is set to what was counted as at the moment it was counted; what was received or sold since is kept.{' '}
                {view.uncounted === 'set-to-zero' ? 'Products nobody counted are set to zero.' : 'Products nobody counted keep their stock.'} This cannot be undone: a
                new count corrects it.
              </p>
            </div>
            {approval.messages.length > 0 && (
              <p class="error" role="alert">
                {approval.messages[0]}
              </p>
            )}
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" class="primary" autoFocus disabled={approval.busy} onClick={() => void approve()}>
                Approve {totals.products === 1 ? '1 product' : `${totals.products} products`}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * What approving changes: the products it sets, the stock it adds (+) or removes (−) net per stock
 * unit (pieces are not added to grams), and the value.
 */
function adjustmentTotals(lines: CountSessionLine[], unitOf: (productId: string) => StockUnit): { products: number; units: Record<StockUnit, number>; value: number } {
  const units: Record<StockUnit, number> = { each: 0, kg: 0, l: 0 };
  for (const line of lines) units[unitOf(line.productId)] += line.varianceQty;
  return { products: lines.length, units, value: lines.reduce((sum, l) => sum + l.varianceValue, 0) };
}

/** "−3 pieces", or "−166 pieces, −52000 g" when weighed products changed too. */
function unitsText(units: Record<StockUnit, number>): string {
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const parts = [
    units.each !== 0 || (units.kg === 0 && units.l === 0) ? `${signed(units.each)} ${Math.abs(units.each) === 1 ? 'piece' : 'pieces'}` : '',
    units.kg !== 0 ? `${signed(units.kg)} g` : '',
    units.l !== 0 ? `${signed(units.l)} ml` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
