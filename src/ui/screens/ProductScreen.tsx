/**
 * Edit product (the owner's device): change a product's name, price, cost, barcodes, tax rate, the
 * supplier it is bought from with its pack size and minimum order (issue 16), or stop selling it, one `product-changed` event with only what was changed. Reached from Look up
 * ("Edit product", as #/product?id=…) or from More, where a product is found by name, SKU or code
 * (so products without a barcode can be edited too). A staff device is told where this is done.
 *
 * A new price is used on this device at once and on the others once they sync; carts already open
 * keep the price their lines were rung up at (cart lines carry their unit price).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { formatUnitQty, packQtyWords, parseUnitQty } from '../../domain/catalog-csv.ts';
import { purchaseOrders } from '../../domain/purchase-orders.ts';
import { changeProduct, type ChangeProductInput, type CommandResult, type FieldError } from '../../app/commands/index.ts';
import { putProduct } from '../../db/catalog-store.ts';
import type { AppContext } from '../app-context.ts';
import { costInputText, costLabel, moneyInputText, parseUnitCost } from '../line-input.ts';
import { useProjection, useSettings } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';
import { useProductSearch } from '../hooks/use-product-search.ts';
import { ProductResults, ProductSearchForm } from '../components/ProductSearch.tsx';
import { Field, priceLabel, taxRateChoices, TaxRateSelect } from '../components/ProductFields.tsx';
import { ReorderLevelsForm } from '../components/ReorderLevelsForm.tsx';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import './product-screen.css';

/** The product id in the address (#/product?id=…), or null. */
function productIdFromHash(): string | null {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get('id');
}

export function productEditHref(productId: string): string {
  return `#/product?id=${encodeURIComponent(productId)}`;
}

export function ProductScreen({ app }: { app: AppContext }) {
  const [productId, setProductId] = useState(productIdFromHash);
  // Saved: the notice stays until another product is opened; the form restarts from the catalog.
  const [saved, setSaved] = useState<{ productId: string; text: string; version: number } | null>(null);
  useEffect(() => {
    const onHash = () => setProductId(productIdFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const product = productId === null ? undefined : app.catalog.get(productId);

  if (app.role !== 'owner') {
    return (
      <section class="screen product-edit" aria-labelledby="product-edit-title">
        <h1 id="product-edit-title">Edit product</h1>
        <p class="hint" data-testid="product-edit-owner-only">
          Products and prices are the owner’s: change them on the owner’s device. Changes arrive here when this device syncs.
        </p>
      </section>
    );
  }
  return (
    <section class="screen product-edit" aria-labelledby="product-edit-title">
      <h1 id="product-edit-title">Edit product</h1>
      {product ? (
        <>
          <p>
            <a class="product-edit-back" href="#/product">
              ← Another product
            </a>
          </p>
          {saved?.productId === product.id && (
            <p class="notice info" role="status" data-testid="product-edit-notice">
              {saved.text}
            </p>
          )}
          <ProductForm
            key={`${product.id}:${saved?.version ?? 0}`}
            app={app}
            product={product}
            onSaved={(text) => setSaved({ productId: product.id, text, version: (saved?.version ?? 0) + 1 })}
          />
          {/* The reorder levels show on-hand per location. */}
          <StillSyncingNotice app={app} />
          <ReorderLevelsForm key={`reorder:${product.id}`} app={app} product={product} />
        </>
      ) : (
        <>
          {productId !== null && (
            <p class="notice warning" role="alert">
              This product is not in the catalog on this device. Sync, then find it below.
            </p>
          )}
          <FindProduct app={app} />
        </>
      )}
    </section>
  );
}

/** Finding the product to edit: by name, SKU or barcode (a hand scanner types into the box). */
function FindProduct({ app }: { app: AppContext }) {
  const settings = useSettings(app);
  const search = useProductSearch(app, 20);
  const [noMatch, setNoMatch] = useState<string | null>(null);
  const open = (p: ProductSnapshot) => (location.hash = productEditHref(p.id));
  return (
    <>
      <ProductSearchForm
        search={search}
        id="product-edit-search"
        label="Which product? Search or scan"
        rowClass="product-edit-search-row"
        onPick={open}
        onType={() => setNoMatch(null)}
        onNoMatch={setNoMatch}
      />
      {noMatch !== null && (
        <p class="notice warning" role="alert">
          Nothing matches “{noMatch}”. Check the spelling, or scan the product’s barcode.
        </p>
      )}
      {search.query.trim() !== '' && (
        <ProductResults products={search.results} label="Matching products" class="product-edit-results" buttonClass="product-edit-result" onPick={open}>
          {(p) => (
            <>
              <span class="name">
                {p.name}
                {!p.active && ' (not sold)'}
              </span>
              <span class="price">{formatMoney(p.price, settings.currency)}</span>
            </>
          )}
        </ProductResults>
      )}
    </>
  );
}

/** The form's text, as typed; turned into numbers only when saved. */
interface FormText {
  name: string;
  price: string;
  cost: string;
  taxRateBp: string;
  barcodes: string[];
  active: boolean;
  /** The Sell grid's category chip ('' = none) and Favourites chip. */
  category: string;
  favourite: boolean;
  /** Replenishment (issue 16): the usual supplier ('' = none); pack and minimum order in the product's unit ('' = none). */
  supplier: string;
  packSize: string;
  minOrderQty: string;
}

function formTextOf(product: ProductSnapshot, currency: string): FormText {
  return {
    name: product.name,
    price: moneyInputText(product.price, currency),
    cost: costInputText(product.cost, product.unit, currency),
    taxRateBp: String(product.taxRateBp),
    barcodes: product.barcodes,
    active: product.active,
    category: product.category ?? '',
    favourite: product.favourite === true,
    supplier: product.supplier ?? '',
    packSize: product.packSize === undefined ? '' : formatUnitQty(product.packSize, product.unit),
    minOrderQty: product.minOrderQty === undefined ? '' : formatUnitQty(product.minOrderQty, product.unit),
  };
}

/**
 * The changes the owner made: only fields whose text differs from what the form started with (a cost
 * per gram shown rounded to cents per kg is not re-recorded, rounded, when only the price changed),
 * and the sentences for text that is not an amount.
 */
export function readProductForm(start: FormText, now: FormText, product: ProductSnapshot, currency: string): { changes: ChangeProductInput['changes']; errors: FieldError[] } {
  const changes: ChangeProductInput['changes'] = {};
  const errors: FieldError[] = [];
  if (now.name !== start.name) changes.name = now.name;
  if (now.price !== start.price) {
    const price = parseMoney(now.price, currency);
    if (price.ok) changes.price = price.value;
    else errors.push({ field: 'price', message: `Price: ${price.error}` });
  }
  if (now.cost !== start.cost) {
    const cost = parseUnitCost(now.cost, product.unit, currency);
    if (cost.ok) changes.cost = cost.value;
    else errors.push({ field: 'cost', message: `Cost: ${cost.error}` });
  }
  if (now.taxRateBp !== start.taxRateBp) changes.taxRateBp = Number(now.taxRateBp);
  if (now.barcodes.join('\n') !== start.barcodes.join('\n')) changes.barcodes = now.barcodes;
  if (now.active !== start.active) changes.active = now.active;
  if (now.category !== start.category) changes.category = now.category;
  if (now.favourite !== start.favourite) changes.favourite = now.favourite;
  if (now.supplier !== start.supplier) changes.supplier = now.supplier;
  for (const [field, label] of [['packSize', 'Pack size'], ['minOrderQty', 'Minimum order']] as const) {
    if (now[field] === start[field]) continue;
    const qty = parseUnitQty(now[field], product.unit);
    // Emptied: no pack and no minimum, which is what 1 stock unit means.
    if (qty === undefined) errors.push({ field, message: `${label}: “${now[field]}” is not ${packQtyWords(product.unit)}.` });
    else changes[field] = qty ?? 1;
  }
  return { changes, errors };
}

/** The suppliers the owner already named, on products and purchase orders: the Supplier field offers them. */
function knownSuppliers(products: readonly ProductSnapshot[], orderSuppliers: readonly (string | undefined)[]): string[] {
  const names = [...products.map((p) => p.supplier), ...orderSuppliers].map((name) => name?.trim() ?? '').filter((name) => name !== '');
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** Text that could not be read goes first; the command's words about those fields are left out. */
function withFieldErrors(inputErrors: FieldError[], result: CommandResult): CommandResult {
  if (inputErrors.length === 0) return result;
  const unread = new Set(inputErrors.map((e) => e.field));
  const others = result.ok ? [] : result.errors.filter((e) => e.field !== undefined && !unread.has(e.field));
  return { ok: false, errors: [...inputErrors, ...others] };
}

function ProductForm({ app, product, onSaved }: { app: AppContext; product: ProductSnapshot; onSaved(text: string): void }) {
  const settings = useSettings(app);
  const currency = settings.currency;
  // What the form started from, kept: a change pulled meanwhile to a field the owner did not touch
  // is not undone by saving.
  const [start] = useState(() => formTextOf(product, currency));
  const [form, setForm] = useState<FormText>(start);
  const [newCode, setNewCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const rates = useMemo(() => taxRateChoices(app.catalog.all(), product.taxRateBp), [app.catalog, product.taxRateBp]);
  const books = useProjection(app)?.books ?? null;
  const suppliers = useMemo(() => knownSuppliers(app.catalog.all(), books ? purchaseOrders(books).map((o) => o.supplier) : []), [app.catalog, books, books?.size]);
  const action = useAction(app);
  const set = (patch: Partial<FormText>) => setForm((f) => ({ ...f, ...patch }));
  const money = (amount: number) => formatMoney(amount, currency);

  /** A code is checked when added, by the command's own rules, so the owner hears at once whose it is. */
  const addCode = () => {
    const code = newCode.trim();
    if (code === '') return setCodeError('Type or scan the code to add first.');
    const barcodes = [...form.barcodes, code];
    const checked = changeProduct.run({ productId: product.id, changes: { barcodes } }, app.commandContext());
    const problem = checked.ok ? undefined : checked.errors.find((e) => e.field === 'barcodes' || e.field === undefined);
    if (problem) return setCodeError(problem.message);
    set({ barcodes });
    setNewCode('');
    setCodeError(null);
  };

  const save = async () => {
    const read = readProductForm(start, form, product, currency);
    const events = await action.run((context) => withFieldErrors(read.errors, changeProduct.run({ productId: product.id, changes: read.changes }, context)));
    const changed = events?.[0];
    if (changed?.kind !== 'product-changed') return;
    const next: ProductSnapshot = { ...product, ...changed.changes, id: product.id };
    try {
      await putProduct(app.db, app.catalog, next);
    } catch (error) {
      // Recorded all the same: the projection stores it in the catalog on its next refresh.
      console.error(error);
    }
    const priceNote =
      changed.changes.price === undefined
        ? ''
        : ` New price ${money(changed.changes.price)} (was ${money(product.price)}): sold at it here now, on other devices once they sync; carts already open keep the price they were rung up at.`;
    onSaved(`Saved ${next.name}.${priceNote}`);
  };

  const error = (field: string) => action.errorFor(field);
  const otherErrors = action.errors.filter((e) => e.field === undefined || !['name', 'price', 'cost', 'taxRateBp', 'barcodes', 'active', 'category', 'supplier', 'packSize', 'minOrderQty'].includes(e.field));
  const perUnit = product.unit === 'each' ? 'piece' : product.unit;
  const qtyUnit = product.unit === 'each' ? 'pieces' : product.unit === 'kg' ? 'kg' : 'litres';

  return (
    <form
      class="product-edit-form"
      data-product-id={product.id}
      aria-label={`Edit ${product.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 class="product-edit-name">
        {product.name}
        {!product.active && <span class="flag"> (not sold)</span>}
      </h2>
      <p class="hint">
        SKU {product.sku} · sold per {perUnit}
      </p>
      <Field id="product-edit-name" label="Name" error={error('name')}>
        {(d) => <input id="product-edit-name" value={form.name} aria-invalid={d.invalid} aria-describedby={d.describedBy} onInput={(e) => set({ name: e.currentTarget.value })} />}
      </Field>
      <div class="field-row">
        <Field id="product-edit-price" label={priceLabel(product.unit)} error={error('price')}>
          {(d) => (
            <input id="product-edit-price" inputMode="decimal" autoComplete="off" value={form.price} aria-invalid={d.invalid} aria-describedby={d.describedBy} onInput={(e) => set({ price: e.currentTarget.value })} />
          )}
        </Field>
        <Field id="product-edit-cost" label={costLabel(product.unit)} error={error('cost')}>
          {(d) => (
            <input id="product-edit-cost" inputMode="decimal" autoComplete="off" value={form.cost} aria-invalid={d.invalid} aria-describedby={d.describedBy} onInput={(e) => set({ cost: e.currentTarget.value })} />
          )}
        </Field>
      </div>
      <Field id="product-edit-tax" label="Tax rate" error={error('taxRateBp')}>
        {(d) => <TaxRateSelect id="product-edit-tax" rates={rates} value={form.taxRateBp} onChange={(taxRateBp) => set({ taxRateBp })} invalid={d.invalid} describedBy={d.describedBy} />}
      </Field>

      <fieldset class="product-edit-barcodes" aria-describedby={error('barcodes') ? 'product-edit-barcodes-error' : undefined}>
        <legend>Barcodes</legend>
        {form.barcodes.length === 0 ? (
          <p class="hint">No barcode: the product is found by name or SKU {product.sku}.</p>
        ) : (
          <ul class="product-edit-codes" data-testid="product-edit-codes">
            {form.barcodes.map((code) => (
              <li key={code}>
                <span class="code">{code}</span>
                <button type="button" class="secondary" aria-label={`Remove barcode ${code}`} onClick={() => set({ barcodes: form.barcodes.filter((c) => c !== code) })}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <label for="product-edit-new-code">Add a barcode (type or scan it)</label>
        <div class="product-edit-add-code">
          <input
            id="product-edit-new-code"
            inputMode="numeric"
            autoComplete="off"
            value={newCode}
            aria-invalid={codeError !== null}
            aria-describedby={codeError !== null ? 'product-edit-new-code-error' : undefined}
            onInput={(e) => {
              setNewCode(e.currentTarget.value);
              setCodeError(null);
            }}
            onKeyDown={(e) => {
              // A hand scanner ends the code with Enter: it adds the code, it does not save the form.
              if (e.key !== 'Enter') return;
              e.preventDefault();
              addCode();
            }}
          />
          <button type="button" onClick={addCode}>
            Add
          </button>
        </div>
        {codeError !== null && (
          <p class="error field-error" id="product-edit-new-code-error" role="alert">
            {codeError}
          </p>
        )}
        {error('barcodes') !== undefined && (
          <p class="error field-error" id="product-edit-barcodes-error">
            {error('barcodes')}
          </p>
        )}
      </fieldset>

      <Field id="product-edit-category" label="Category on the Sell screen (empty for none)" error={error('category')}>
        {(d) => (
          <>
            <input
              id="product-edit-category"
              list="product-edit-categories"
              autoComplete="off"
              value={form.category}
              aria-invalid={d.invalid}
              aria-describedby={d.describedBy}
              onInput={(e) => set({ category: e.currentTarget.value })}
            />
            <datalist id="product-edit-categories">
              {[...app.catalog.sellGroups().categories.keys()].map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div class="field">
        <label class="inline">
          <input type="checkbox" checked={form.favourite} onChange={(e) => set({ favourite: e.currentTarget.checked })} />
          A favourite (on the Sell screen’s Favourites chip)
        </label>
      </div>

      <fieldset class="product-edit-buying" aria-describedby="product-edit-buying-hint">
        <legend>Buying</legend>
        <p class="hint" id="product-edit-buying-hint">
          Who it is usually bought from. Suggested orders come in whole packs and at least the minimum order; in {qtyUnit}, empty for none.
        </p>
        <Field id="product-edit-supplier" label="Supplier" error={error('supplier')}>
          {(d) => (
            <>
              <input
                id="product-edit-supplier"
                list="product-edit-suppliers"
                autoComplete="off"
                value={form.supplier}
                aria-invalid={d.invalid}
                aria-describedby={d.describedBy}
                onInput={(e) => set({ supplier: e.currentTarget.value })}
              />
              <datalist id="product-edit-suppliers">
                {suppliers.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <div class="field-row">
          <Field id="product-edit-pack-size" label={`Pack size (${qtyUnit})`} error={error('packSize')}>
            {(d) => (
              <input id="product-edit-pack-size" inputMode="decimal" autoComplete="off" value={form.packSize} aria-invalid={d.invalid} aria-describedby={d.describedBy} onInput={(e) => set({ packSize: e.currentTarget.value })} />
            )}
          </Field>
          <Field id="product-edit-min-order" label={`Minimum order (${qtyUnit})`} error={error('minOrderQty')}>
            {(d) => (
              <input id="product-edit-min-order" inputMode="decimal" autoComplete="off" value={form.minOrderQty} aria-invalid={d.invalid} aria-describedby={d.describedBy} onInput={(e) => set({ minOrderQty: e.currentTarget.value })} />
            )}
          </Field>
        </div>
      </fieldset>

      <div class="field">
        <label class="inline product-edit-active">
          <input type="checkbox" checked={form.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
          Sold at the till
        </label>
        <p class="hint">{form.active ? 'Untick to stop selling it: its stock, sales and counts stay.' : 'Not sold: the till refuses it until this is ticked again.'}</p>
        {error('active') !== undefined && <p class="error field-error">{error('active')}</p>}
      </div>

      {otherErrors.length > 0 && (
        <ul class="error ops-errors" role="alert" data-testid="product-edit-errors">
          {otherErrors.map((e) => (
            <li key={e.message}>{e.message}</li>
          ))}
        </ul>
      )}
      {action.errors.length > 0 && otherErrors.length === 0 && (
        <p class="visually-hidden" role="alert">
          Nothing was saved: see the messages next to the fields.
        </p>
      )}
      <div class="product-edit-actions">
        <a class="product-edit-lookup" href="#/lookup">
          Back to Look up
        </a>
        <button type="submit" class="primary" disabled={action.busy}>
          Save changes
        </button>
      </div>
    </form>
  );
}
