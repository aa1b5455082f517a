/**
 * Counts (floor staff on a phone, the owner for review): open a count session for this device's
 * location, count it from one or several devices by scanning (hand scanner or camera, one
 * `count-recorded` of 1 per scan) or with +/−, then review the variances and approve. The approval
 * is a stock count at its place in the ledger: stock changes and the shrinkage posts at once.
 *
 * Increments from every device merge by sum through sync (`countSession` in src/domain). In a blind
 * app the counting view never shows what the ledger expects; the review (owner) does.
 */
import { useMemo, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { countSession, type CountSessionView } from '../../domain/count-sessions.ts';
import type { ProductSnapshot } from '../../domain/events.ts';
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
                · {locationName(app, s.locationId)} · {s.blind ? 'blind' : 'not blind'} · {s.lines.filter((l) => l.recorded).length} products counted
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
  const search = useProductSearch(app, 20);
  const [picked, setPicked] = useState<string[]>([]);
  const opening = useAction(app);

  const toggle = (id: string) => setPicked((list) => (list.includes(id) ? list.filter((p) => p !== id) : [...list, id]));
  const submit = async (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const events = await opening.run((context) => openCount.run({ name, blind, ...(limited ? { productIds: picked } : {}) }, context));
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
  const [mine, setMine] = useState<string[]>([]);
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

  const add = async (product: ProductSnapshot) => {
    if (product.unit !== 'each') {
      counting.refuse(`${product.name} is sold by weight: weigh it and use the scale label, which counts its weight.`);
      return;
    }
    if (await record(product, 1)) {
      setMine((list) => [...list, product.id]);
      counting.say(`Counted 1 × ${product.name}.`);
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
    const productId = mine[mine.length - 1];
    const product = productId === undefined ? undefined : catalog.get(productId);
    if (!product) return;
    if (await record(product, -1)) {
      setMine((list) => list.slice(0, -1));
      counting.say(`Took back 1 × ${product.name}.`);
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
        {locationName(app, view.locationId)} · {view.blind ? 'Blind count: expected quantities are hidden.' : 'Expected quantities are shown.'} Scan each item once; counts from
        every device add up after sync.
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
      {search.results.length > 0 && (
        <ProductResults
          products={search.results}
          label="Search results"
          class="count-results"
          buttonClass="secondary"
          search={search}
          onPick={(p) => void add(p)}
        >
          {(p) => `+ ${p.name}`}
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
                    <button type="button" class="icon" aria-label={`One more ${product.name}`} onClick={() => void add(product)}>
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

function ReviewView({ app, view, onBack }: { app: AppContext; view: CountSessionView; onBack(): void }) {
  const { catalog, settings } = app;
  const approval = useAction(app);
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const counted = view.lines.filter((l) => l.recorded || view.status === 'approved');
  const uncounted = view.lines.filter((l) => !l.recorded && view.status === 'open');
  const totalValue = counted.reduce((sum, l) => sum + l.varianceValue, 0);

  const approve = () => approval.run((context) => approveCount.run({ countSessionId: view.countSessionId }, context));

  return (
    <section class="screen count-screen review" aria-labelledby="review-title" data-status={view.status}>
      <button type="button" class="secondary back" onClick={onBack}>
        ← All counts
      </button>
      <h1 id="review-title">Review: {view.name}</h1>
      <p class="hint">
        {locationName(app, view.locationId)} ·{' '}
        {view.status === 'approved'
          ? 'Approved: the stock was set to the counted quantities and the differences posted to shrinkage.'
          : 'Counts from other devices appear after they sync ("Sync now"). Approving sets the stock to the counted quantities.'}
      </p>
      {view.lateIncrements > 0 && <p class="notice warning">{view.lateIncrements} counts arrived after the approval; they changed nothing.</p>}
      {counted.length === 0 ? (
        <p class="empty">Nothing has been counted in this app yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="stock-table review-table" aria-label="Variances">
            <thead>
              <tr>
                <th>Product</th>
                <th class="num">Counted</th>
                <th class="num">Expected</th>
                <th class="num">Variance</th>
                <th class="num">Value</th>
              </tr>
            </thead>
            <tbody>
              {counted.map((line) => (
                <tr key={line.productId} data-product-id={line.productId}>
                  <td>{catalog.get(line.productId)?.name ?? line.productId}</td>
                  <td class="num" data-col="counted">{line.counted}</td>
                  <td class="num" data-col="expected">{line.expected}</td>
                  <td class={`num${line.varianceQty < 0 ? ' negative' : ''}`} data-col="variance">
                    {line.varianceQty > 0 ? `+${line.varianceQty}` : line.varianceQty}
                  </td>
                  <td class={`num${line.varianceValue < 0 ? ' negative' : ''}`} data-col="value">
                    {money(line.varianceValue)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={4}>{totalValue < 0 ? 'Shrinkage' : 'Found stock'}</th>
                <td class="num" data-testid="variance-total">
                  {money(totalValue)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {uncounted.length > 0 && <p class="hint">{uncounted.length} products in this count were not counted; approving leaves their stock as it is.</p>}
      {approval.messages.length > 0 && (
        <p class="error" role="alert">
          {approval.messages[0]}
        </p>
      )}
      {view.status === 'open' &&
        (app.role === 'owner' ? (
          <button type="button" class="primary" disabled={approval.busy} onClick={() => void approve()}>
            Approve count
          </button>
        ) : (
          <p class="notice info" data-testid="approve-owner-only">
            Only the owner’s device approves counts. This device’s counts reach it when they sync.
          </p>
        ))}
    </section>
  );
}
