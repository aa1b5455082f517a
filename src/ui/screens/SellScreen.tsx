import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { addToCart, amountOff, cartFromSaved, emptyCart, isValidQty, parsePercent, percentOff, priceCart, removeLine, setCartDiscount, setLineDiscount, setLinePrice, setLineQty, type Cart, type Discount, type Payment, type SavedCart } from '../../domain/cart.ts';
import type { EventOf, ProductSnapshot } from '../../domain/events.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { moneyInputText } from '../line-input.ts';
import { getMeta, setMeta } from '../../db/db.ts';
import { SAVED_CART_KEY } from '../../db/meta-keys.ts';
import { uuidv7 } from '../../db/ids.ts';
import { firstProducts } from '../../db/catalog.ts';
import { type AppContext } from '../app-context.ts';
import { PayDialog } from '../components/PayDialog.tsx';
import { CreateProductOffer } from '../components/CreateProductOffer.tsx';
import { Receipt, receiptText, type ReceiptStore } from '../components/Receipt.tsx';
import { useCatalogLoaded, useLiveQuery, useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { CameraButton, ScanCamera, useScanInput } from '../hooks/use-scan-input.tsx';
import { useProductSearch } from '../hooks/use-product-search.ts';
import { useAction } from '../hooks/use-action.ts';
import { completeSale } from '../../app/commands/sale.ts';
import { openShift } from '../../app/commands/shifts.ts';
import { openShiftOf } from '../../app/queries.ts';
import { CategoryChips, FAVOURITES_CHIP, ProductResults, ProductSearchForm } from '../components/ProductSearch.tsx';

/** The most tiles one chip shows: a screenful or two; a larger category is narrowed by search. */
const MAX_CHIP_TILES = 60;

/** Set once per page load when the Sell screen is ready to sell (see below). */
export const INTERACTIVE_MARK = 'perpetua:interactive';

/** unknownCode: a scanned code that matched no product (the owner may create one for it). */
type Notice = { tone: 'info' | 'warning'; text: string; unknownCode?: string; clearedCart?: Cart } | null;

/** Meta key of the cart in progress. */
const CART_KEY = SAVED_CART_KEY;

export function SellScreen({ app }: { app: AppContext }) {
  const { catalog, db } = app;
  const settings = useSettings(app);
  const locations = useLocations(app);
  // Re-drawn when the books change: a product changed by a pull (the owner's new price) is in the
  // catalog by then, and its tile must show it (issue 14, item 14).
  useProjection(app);
  const [cart, setCart] = useState<Cart>(emptyCart);
  const search = useProductSearch(app, 24);
  const [notice, setNotice] = useState<Notice>(null);
  const [paying, setPaying] = useState(false);
  const [heldScan, setHeldScan] = useState<string | null>(null);
  const sale = useAction(app);
  const [receipt, setReceipt] = useState<EventOf<'sale'> | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const cartLoaded = useRef(false);
  const parked = useLiveQuery(() => db.parked.orderBy('id').toArray(), [], []);
  const money = (amount: number) => formatMoney(amount, settings.currency);

  // The cart in progress survives a reload or a crash of the tab. The sale that pays for it deletes
  // it in the sale's own transaction, so a recorded sale's cart is never restored (issue 14, item 16).
  useEffect(() => {
    void getMeta<SavedCart>(db, CART_KEY).then((saved) => {
      if (saved) setCart(cartFromSaved(saved));
      cartLoaded.current = true;
    });
  }, []);
  useEffect(() => {
    if (cartLoaded.current) void setMeta(db, CART_KEY, cart);
  }, [cart]);

  const add = (product: ProductSnapshot, qty = 1, unitPrice?: number) => {
    if (!product.active) {
      setNotice({ tone: 'warning', text: `${product.name} is no longer sold (inactive in the catalog).` });
      return;
    }
    setCart((c) => addToCart(c, product, qty, uuidv7(), unitPrice));
    setNotice({ tone: 'info', text: `Added ${product.name}${product.unit === 'each' ? '' : ` (${qty} ${product.unit === 'kg' ? 'g' : 'ml'})`}.` });
  };

  const scanner = useScanInput(app, ({ code, match }) => {
    // The cart is behind the Pay dialog: a scan there would change what is being paid for unseen.
    if (paying) {
      setHeldScan(`${code} was scanned during payment and not added. Go back to the cart to add it, or complete this sale and scan it for the next one.`);
      return;
    }
    if (match.found) {
      add(match.product, match.qty, match.unitPrice);
    } else {
      // The notice names the code; the box stays ready for the next scan and the grid stays in view
      // (issue 14, item 12: the code left in the box hid the grid until it was cleared by hand).
      search.setQuery('');
      setNotice({ tone: 'warning', text: `${match.reason} Nothing was added. Search by name below, or check the code.`, unknownCode: code });
      searchRef.current?.focus();
    }
  });

  // Until the catalog is in memory, the tiles come straight from IndexedDB; re-render once it is.
  const catalogLoaded = useCatalogLoaded(app);
  const [firstTiles, setFirstTiles] = useState<ProductSnapshot[]>([]);
  useEffect(() => {
    if (catalog.loaded) return;
    // Only the first chunk record(s): the whole catalog loads right after, without delaying this.
    void firstProducts(db, 24)
      .then(setFirstTiles)
      .finally(() => void app.loadCatalog());
  }, []);
  // An exchange arrives from Returns as #/sell?credit=<minor units>: the cash refund of the return,
  // handed straight back in to pay for the new items (see ReturnsScreen).
  const exchangeCredit = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('credit') ?? 0);
  const priced = useMemo(() => priceCart(cart, settings.pricesIncludeTax), [cart, settings.pricesIncludeTax]);

  // The chips: Favourites first when the owner marked any, then each category. Until a chip is
  // tapped, Favourites is the one shown (undefined = not chosen yet; null = the usual first tiles).
  const [chosenChip, setChosenChip] = useState<string | null | undefined>(undefined);
  const groups = catalogLoaded ? catalog.sellGroups() : null;
  const chips = groups
    ? [...(groups.favourites.length > 0 ? [{ key: FAVOURITES_CHIP, label: 'Favourites' }] : []), ...[...groups.categories.keys()].map((name) => ({ key: name, label: name }))]
    : [];
  const selectedChip = chosenChip === undefined ? (chips[0]?.key === FAVOURITES_CHIP ? FAVOURITES_CHIP : null) : chips.some((c) => c.key === chosenChip) ? chosenChip : null;
  const chipProducts = groups && selectedChip !== null ? (selectedChip === FAVOURITES_CHIP ? groups.favourites : (groups.categories.get(selectedChip) ?? [])) : null;
  const tiles = search.query ? search.results : chipProducts ? chipProducts.slice(0, MAX_CHIP_TILES) : catalogLoaded ? catalog.first(24) : firstTiles;

  // The till can sell: scans are heard and product tiles are drawn (effects run after the paint).
  // The repeat-load benchmark (bench/lighthouse/repeat-load.bench.ts) times navigation → this mark.
  useEffect(() => {
    if (scanner.ready && tiles.length > 0 && performance.getEntriesByName(INTERACTIVE_MARK).length === 0) performance.mark(INTERACTIVE_MARK);
  }, [scanner.ready, tiles.length]);

  const onNoMatch = (text: string) => {
    if (!catalog.loaded) setNotice({ tone: 'info', text: 'The catalog is still loading: scan a barcode, or search again in a moment.' });
    else setNotice({ tone: 'warning', text: `Nothing matches "${text}".` });
  };

  // No shift open on this till: the Pay dialog asks to open one (or refuses), as the owner set.
  const books = useProjection(app)?.books ?? null;
  const noShift = books && !openShiftOf(books, app.deviceId, app.actor?.id) ? settings.saleWithoutShift : undefined;
  const shift = useAction(app);
  const openShiftNow = async (floatText: string) => {
    const float = parseMoney(floatText, settings.currency);
    if (!float.ok) return shift.refuse(`Float: ${float.error}`);
    await shift.run((context) => openShift.run({ float: float.value }, context), () => 'Shift opened: this sale goes into its drawer.');
  };

  const complete = async (payment: Payment) => {
    // PayDialog counts an exchange's credit in the cash received already. Completing from a dialog
    // that said no shift is open is the cashier's choice to sell without one.
    const events = await sale.run((context) => completeSale.run({ cart, payment, withoutShift: noShift === 'ask' }, context), undefined, { clearsMeta: CART_KEY });
    // Refused or not recorded: the cart stays as it was, so the cashier can try again or park it.
    const event = events?.[0];
    if (event?.kind !== 'sale') return;
    setReceipt(event);
    // The exchange credit is used up by this sale; the next one starts without it.
    if (exchangeCredit > 0) history.replaceState(null, '', '#/sell');
    setCart(emptyCart);
    setPaying(false);
    setNotice(null);
  };

  // Clearing a cart with lines can be undone until the next action: one tap too many must not cost
  // the cashier the whole basket (issue 14, item 6).
  const clear = () => {
    const lines = cart.lines.length;
    setCart(emptyCart);
    setNotice({ tone: 'info', text: `Cart cleared (${lines} ${lines === 1 ? 'line' : 'lines'}).`, clearedCart: cart });
  };

  const park = async () => {
    if (cart.lines.length === 0) return;
    const id = uuidv7();
    await db.parked.put({ id, parkedAt: new Date().toISOString(), label: `${cart.lines.length} lines, ${money(priced.totals.gross)}`, cart });
    setCart(emptyCart);
    setNotice({ tone: 'info', text: 'Cart parked. Resume it from the list below the cart.' });
  };
  const resume = async (id: string) => {
    const row = await db.parked.get(id);
    if (!row) return;
    if (cart.lines.length > 0) await park();
    await db.parked.delete(id);
    setCart(cartFromSaved(row.cart));
  };

  return (
    <div class="sell" data-scanner-ready={scanner.ready ? 'true' : undefined}>
      <section class="sell-products" aria-label="Find products">
        <ProductSearchForm search={search} id="product-search" label="Search or scan" inputRef={searchRef} onPick={(p) => add(p)} onNoMatch={onNoMatch}>
          <CameraButton scanner={scanner} class="secondary camera-button" />
        </ProductSearchForm>
        <ScanCamera scanner={scanner} mode="sell" />
        {Number.isSafeInteger(exchangeCredit) && exchangeCredit > 0 && (
          <p class="notice info" role="status" data-testid="exchange-credit">
            Exchange: the customer has {money(exchangeCredit)} credit from the return. Scan the new items; Pay counts the credit as
            cash received.
          </p>
        )}
        {notice && (
          <p class={`notice ${notice.tone}`} role={notice.tone === 'warning' ? 'alert' : 'status'} data-testid="sell-notice">
            {notice.text}
            {notice.clearedCart && (
              <>
                {' '}
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    if (notice.clearedCart) setCart(notice.clearedCart);
                    setNotice({ tone: 'info', text: 'Cart restored.' });
                  }}
                >
                  Undo
                </button>
              </>
            )}
          </p>
        )}
        <CreateProductOffer
          app={app}
          code={notice?.unknownCode ?? null}
          purpose="sell it"
          onCreated={(product) => {
            search.setQuery('');
            add(product);
          }}
        />
        {/* Until the catalog is read the chips are unknown: their row is held empty so the grid does not
            move down when they come (issue 19: no layout shift). */}
        {!search.query && (catalogLoaded ? <CategoryChips chips={chips} selected={selectedChip} onSelect={setChosenChip} /> : <div class="category-chips chips-pending" aria-hidden="true" />)}
        <ProductResults
          // The first tiles (read straight from IndexedDB) and the loaded catalog's are different
          // lists: a new grid rather than the same tiles moved about, which would count as layout shift.
          key={catalogLoaded ? 'catalog' : 'first-tiles'}
          products={tiles}
          label={search.query ? 'Search results' : selectedChip === null ? 'Products' : `${selectedChip === FAVOURITES_CHIP ? 'Favourites' : selectedChip} products`}
          class="product-grid"
          buttonClass="product-tile"
          onPick={(p) => add(p, p.unit === 'each' ? 1 : 1000)}
        >
          {(p) => (
            <>
              <span class="name">{p.name}</span>
              <span class="price">
                {money(p.price)}
                {p.unit !== 'each' && `/${p.unit}`}
              </span>
            </>
          )}
        </ProductResults>
        {!search.query && chipProducts && chipProducts.length > MAX_CHIP_TILES && (
          <p class="hint" data-testid="chip-more">
            Showing {MAX_CHIP_TILES} of {chipProducts.length}: search by name to find the others.
          </p>
        )}
        {catalogLoaded && catalog.size === 0 && (
          <p class="empty" data-testid="empty-catalog">
            {app.role === 'owner'
              ? 'No products yet. Import your product list in Settings, or scan a product’s barcode and create it.'
              : 'No products yet: the owner’s device adds them, and they arrive here when this device syncs.'}
          </p>
        )}
      </section>

      <section class="sell-cart" aria-label="Cart">
        <h2>Cart</h2>
        {/* Where this device's sales take stock from: changed in Settings, with a confirmation. */}
        <p class="hint sell-location" data-testid="sell-location">
          Selling from <strong>{locations.find((l) => l.id === settings.locationId)?.name ?? settings.locationId}</strong>
        </p>
        {cart.lines.length === 0 ? (
          <p class="empty">Scan an item or tap a product to start a sale.</p>
        ) : (
          <ul class="cart-lines">
            {priced.lines.map((line) => (
              <CartLineRow
                key={line.lineId}
                name={line.name}
                unit={line.unit}
                qty={line.qty}
                gross={money(line.gross)}
                unitPrice={line.unitPrice}
                listPrice={line.listPrice}
                discount={cart.lines.find((l) => l.lineId === line.lineId)?.lineDiscount ?? amountOff(0)}
                currency={settings.currency}
                onQty={(qty) => setCart((c) => setLineQty(c, line.lineId, qty))}
                onRemove={() => setCart((c) => removeLine(c, line.lineId))}
                onPrice={(unitPrice) => {
                  const result = setLinePrice(cart, line.lineId, unitPrice);
                  if (result.ok) setCart(result.value);
                  return result.ok ? null : result.error;
                }}
                onDiscount={(discount) => {
                  const result = setLineDiscount(cart, line.lineId, discount);
                  if (result.ok) setCart(result.value);
                  return result.ok ? null : result.error;
                }}
              />
            ))}
          </ul>
        )}
        <CartDiscount
          currency={settings.currency}
          value={cart.cartDiscount}
          onChange={(discount) => {
            const result = setCartDiscount(cart, discount);
            if (result.ok) setCart(result.value);
            return result.ok ? null : result.error;
          }}
          disabled={cart.lines.length === 0}
        />
        <dl class="totals">
          <dt>{settings.pricesIncludeTax ? 'Tax included' : 'Tax'}</dt>
          <dd data-testid="cart-tax">{money(priced.totals.tax)}</dd>
          {priced.totals.discount > 0 && (
            <>
              <dt>Discounts</dt>
              <dd>−{money(priced.totals.discount)}</dd>
            </>
          )}
          <dt class="grand">Total</dt>
          <dd class="grand" data-testid="cart-total">
            {money(priced.totals.gross)}
          </dd>
        </dl>
        <div class="cart-actions">
          <button type="button" class="secondary" onClick={() => void park()} disabled={cart.lines.length === 0}>
            Park
          </button>
          <button type="button" class="secondary" onClick={clear} disabled={cart.lines.length === 0}>
            Clear
          </button>
          <button type="button" class="primary pay" onClick={() => { sale.clear(); shift.clear(); setHeldScan(null); setPaying(true); }} disabled={cart.lines.length === 0}>
            Pay {money(priced.totals.gross)}
          </button>
        </div>
        {parked.length > 0 && (
          <div class="parked">
            <h3>Parked carts</h3>
            <ul>
              {parked.map((p) => (
                <li key={p.id}>
                  <button type="button" class="secondary" onClick={() => void resume(p.id)}>
                    Resume {p.label}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      {paying && (
        <PayDialog
          total={priced.totals.gross}
          currency={settings.currency}
          cashStep={settings.cashStep}
          credit={Number.isSafeInteger(exchangeCredit) && exchangeCredit > 0 ? exchangeCredit : 0}
          busy={sale.busy}
          error={sale.messages[0] ?? null}
          heldScan={heldScan}
          noShift={noShift}
          shift={{ busy: shift.busy, error: shift.messages[0] ?? null, notice: shift.notice }}
          onOpenShift={(floatText) => void openShiftNow(floatText)}
          onComplete={(payment) => void complete(payment)}
          onCancel={() => {
            setPaying(false);
            setHeldScan(null);
          }}
        />
      )}
      {receipt && <ReceiptDialog sale={receipt} store={settings} cashier={receipt.userId === app.actor?.id ? app.actor.name : undefined} onClose={() => { setReceipt(null); searchRef.current?.focus(); }} />}
    </div>
  );
}

function CartLineRow(props: {
  name: string;
  unit: string;
  qty: number;
  gross: string;
  unitPrice: number;
  /** The price before the cashier changed it, when they did. */
  listPrice: number | undefined;
  discount: Discount;
  currency: string;
  onQty(qty: number): void;
  onRemove(): void;
  /** A price override: approved by a supervisor when the sale is recorded if the cashier's role needs it. */
  onPrice(unitPrice: number): string | null;
  onDiscount(discount: Discount): string | null;
}) {
  const [qtyText, setQtyText] = useState(String(props.qty));
  const [qtyError, setQtyError] = useState<string | null>(null);
  useEffect(() => setQtyText(String(props.qty)), [props.qty]);
  const unitLabel = props.unit === 'each' ? '' : props.unit === 'kg' ? ' g' : ' ml';
  const perUnit = props.unit === 'each' ? '' : `/${props.unit}`;
  const commitQty = (text: string) => {
    const qty = Number(text);
    if (!/^\d+$/.test(text.trim()) || !isValidQty(qty)) {
      setQtyError(`"${text}" is not a quantity: use a whole number from 1.`);
      return;
    }
    setQtyError(null);
    props.onQty(qty);
  };
  return (
    <li class="cart-line">
      <div class="cart-line-main">
        <span class="name">{props.name}</span>
        <span class="num line-total">{props.gross}</span>
      </div>
      {props.listPrice !== undefined && (
        <p class="hint price-override" data-testid="price-override">
          Price changed to {formatMoney(props.unitPrice, props.currency)}
          {perUnit} (was <s>{formatMoney(props.listPrice, props.currency)}</s>)
        </p>
      )}
      <div class="cart-line-controls">
        {props.unit === 'each' && (
          <button type="button" class="icon" aria-label={`One less ${props.name}`} onClick={() => props.qty > 1 && props.onQty(props.qty - 1)} disabled={props.qty <= 1}>
            −
          </button>
        )}
        <label class="qty">
          <span class="visually-hidden">Quantity of {props.name}</span>
          <input
            inputMode="numeric"
            value={qtyText}
            aria-invalid={qtyError !== null}
            onInput={(e) => setQtyText(e.currentTarget.value)}
            onBlur={(e) => commitQty(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && commitQty(e.currentTarget.value)}
          />
          {unitLabel}
        </label>
        {props.unit === 'each' && (
          <button type="button" class="icon" aria-label={`One more ${props.name}`} onClick={() => props.onQty(props.qty + 1)}>
            +
          </button>
        )}
        <PriceField name={props.name} perUnit={perUnit} currency={props.currency} unitPrice={props.unitPrice} onChange={props.onPrice} />
        <DiscountField label={`Discount on ${props.name}`} percentLabel={`Percent off ${props.name}`} short="Disc." currency={props.currency} value={props.discount} onChange={props.onDiscount} />
        <button type="button" class="icon danger" aria-label={`Remove ${props.name}`} onClick={props.onRemove}>
          ✕
        </button>
      </div>
      {qtyError && (
        <p class="error" role="alert">
          {qtyError}
        </p>
      )}
    </li>
  );
}

/**
 * "Change price" on a cart line (issue 17, a price override): a button that opens a field for the
 * new price per price unit; Enter or OK sets it, Escape or Cancel leaves the price as it was.
 */
function PriceField(props: { name: string; perUnit: string; currency: string; unitPrice: number; onChange(unitPrice: number): string | null }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);
  const open = () => {
    setText(moneyInputText(props.unitPrice, props.currency));
    setError(null);
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    setError(null);
    setTimeout(() => button.current?.focus());
  };
  const commit = () => {
    // The field's own value: a key pressed right after typing can come before the render that
    // would have put the typed text into `text`.
    const parsed = parseMoney(input.current?.value ?? text, props.currency);
    const problem = parsed.ok ? props.onChange(parsed.value) : parsed.error;
    if (problem) setError(problem);
    else close();
  };
  if (!editing) {
    return (
      <button type="button" class="secondary change-price" ref={button} aria-label={`Change price of ${props.name}`} onClick={open}>
        Price
      </button>
    );
  }
  return (
    <span class="price-field">
      <label class="money-field">
        <span aria-hidden="true">Price{props.perUnit}</span>
        <span class="visually-hidden">New price of {props.name}{props.perUnit}</span>
        <input
          ref={input}
          inputMode="decimal"
          value={text}
          aria-invalid={error !== null}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') close();
          }}
        />
      </label>
      <button type="button" class="primary" onClick={commit}>
        Set price
      </button>
      <button type="button" class="secondary" onClick={close} aria-label={`Keep the price of ${props.name}`}>
        Cancel
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function CartDiscount(props: { currency: string; value: Discount; disabled: boolean; onChange(discount: Discount): string | null }) {
  return (
    <div class="cart-discount">
      <DiscountField label="Cart discount" percentLabel="Percent off the whole cart" short="Cart discount" currency={props.currency} value={props.value} onChange={props.onChange} disabled={props.disabled} />
    </div>
  );
}

/** What a discount field shows for a discount the cart holds ('' for none). */
function discountText(discount: Discount): string {
  if (discount.kind === 'percent') return discount.bp === 0 ? '' : String(discount.bp / 100);
  return discount.amount === 0 ? '' : (discount.amount / 100).toFixed(2);
}

/**
 * A discount typed as an amount or, with the % toggle pressed, as a percentage of what it applies
 * to. Tapping the toggle re-reads what is typed in the other mode, so "10" then % is 10 %.
 */
function DiscountField(props: {
  label: string;
  /** The toggle's name; unlike the field's, so a search by the field's label finds one element. */
  percentLabel: string;
  short: string; currency: string; value: Discount; disabled?: boolean; onChange(discount: Discount): string | null }) {
  const [text, setText] = useState(discountText(props.value));
  const [percent, setPercent] = useState(props.value.kind === 'percent');
  const [error, setError] = useState<string | null>(null);
  // The field follows the cart: a new sale starts with an empty amount field, a resumed cart shows
  // its discount as it was given.
  useEffect(() => {
    const shown = discountText(props.value);
    setText(shown);
    setPercent(shown !== '' && props.value.kind === 'percent');
  }, [props.value]);
  const commit = (value: string, asPercent: boolean) => {
    if (value.trim() === '') {
      setError(props.onChange(asPercent ? percentOff(0) : amountOff(0)));
      return;
    }
    if (asPercent) {
      const parsed = parsePercent(value);
      setError(parsed.ok ? props.onChange(percentOff(parsed.value)) : parsed.error);
    } else {
      const parsed = parseMoney(value, props.currency);
      setError(parsed.ok ? props.onChange(amountOff(parsed.value)) : parsed.error);
    }
  };
  return (
    <span class="discount-field">
      <label class="money-field">
        <span aria-hidden="true">{props.short}</span>
        <span class="visually-hidden">{props.label}</span>
        <input
          inputMode="decimal"
          value={text}
          disabled={props.disabled}
          aria-invalid={error !== null}
          onInput={(e) => setText(e.currentTarget.value)}
          onBlur={(e) => commit(e.currentTarget.value, percent)}
          onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value, percent)}
        />
      </label>
      <button
        type="button"
        class="secondary percent-toggle"
        aria-pressed={percent}
        aria-label={props.percentLabel}
        disabled={props.disabled}
        onClick={() => {
          setPercent(!percent);
          if (text.trim() !== '') commit(text, !percent);
        }}
      >
        %
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function ReceiptDialog({ sale, store, cashier, onClose }: { sale: EventOf<'sale'>; store: ReceiptStore; cashier: string | undefined; onClose(): void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const share = async () => {
    const text = receiptText(sale, store);
    if (navigator.share) await navigator.share({ title: `Receipt ${sale.receiptNo}`, text }).catch(() => undefined);
    else await navigator.clipboard?.writeText(text).catch(() => undefined);
  };
  return (
    <div class="dialog-backdrop receipt-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="receipt-title">
        <h2 id="receipt-title" class="no-print">
          Sale complete{sale.change > 0 ? ` · change ${formatMoney(sale.change, sale.currency)}` : ''}
        </h2>
        <Receipt sale={sale} store={store} cashier={cashier} />
        <div class="dialog-actions no-print">
          <button type="button" class="secondary" onClick={() => window.print()}>
            Print
          </button>
          <button type="button" class="secondary" onClick={() => void share()}>
            Share
          </button>
          <button type="button" class="primary" ref={closeRef} onClick={onClose}>
            New sale
          </button>
        </div>
      </div>
    </div>
  );
}
