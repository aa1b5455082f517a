import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot, StockUnit } from '../../domain/events.ts';
import { parseMoney } from '../../domain/money.ts';
import { defineProduct } from '../../app/commands/index.ts';
import { putProduct } from '../../db/catalog-store.ts';
import type { AppContext } from '../app-context.ts';
import { costLabel, parseUnitCost } from '../line-input.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { priceLabel, taxRateChoices, TaxRateSelect } from './ProductFields.tsx';

/**
 * The owner creates a product for a code the catalog lacks (from Receive, Sell or Look up): one
 * `product-defined` event, and the product is scannable at once.
 */
export function NewProductDialog({
  app,
  code,
  purpose,
  onCreated,
  onCancel,
}: {
  app: AppContext;
  code: string;
  /** What the product is created for, e.g. "receive it". */
  purpose: string;
  onCreated(p: ProductSnapshot): void;
  onCancel(): void;
}) {
  const { settings, catalog } = app;
  const rates = useMemo(() => taxRateChoices(catalog.all()), [catalog]);
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [cost, setCost] = useState('');
  const [rate, setRate] = useState(String(rates[rates.length - 1] ?? 0));
  const [unit, setUnit] = useState<StockUnit>('each');
  const action = useAction(app);

  const create = async () => {
    const inputErrors: string[] = [];
    const parsedPrice = parseMoney(price, settings.currency);
    if (!parsedPrice.ok) inputErrors.push(`Price: ${parsedPrice.error}`);
    const parsedCost = parseUnitCost(cost, unit, settings.currency);
    if (!parsedCost.ok) inputErrors.push(`Cost: ${parsedCost.error}`);
    const input = { code, name, price: parsedPrice.ok ? parsedPrice.value : 0, cost: parsedCost.ok ? parsedCost.value : 0, taxRateBp: Number(rate), unit };
    const events = await action.run((context) => withInputErrors(inputErrors, defineProduct.run(input, context)));
    const defined = events?.[0];
    if (defined?.kind !== 'product-defined') return;
    const { product } = defined;
    // Scannable at once, and stored in the catalog's last chunk.
    try {
      await putProduct(app.db, catalog, product);
    } catch (error) {
      // Recorded all the same: the projection stores it in the catalog on its next refresh.
      console.error(error);
    }
    onCreated(product);
  };

  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="new-product-title">
        <h2 id="new-product-title">Unknown code {code}</h2>
        <p>This code is not in the catalog. Create the product to {purpose}.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label for="new-product-name">Name</label>
          <input id="new-product-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <div class="field-row">
            <div>
              <label for="new-product-price">{priceLabel(unit)}</label>
              <input id="new-product-price" inputMode="decimal" value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
            </div>
            <div>
              <label for="new-product-cost">{costLabel(unit)}</label>
              <input id="new-product-cost" inputMode="decimal" value={cost} onInput={(e) => setCost(e.currentTarget.value)} />
            </div>
          </div>
          <div class="field-row">
            <div>
              <label for="new-product-tax">Tax rate</label>
              <TaxRateSelect id="new-product-tax" rates={rates} value={rate} onChange={setRate} />
            </div>
            <div>
              <label for="new-product-unit">Sold by</label>
              <select id="new-product-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value as StockUnit)}>
                <option value="each">Piece</option>
                <option value="kg">Weight (kg)</option>
                <option value="l">Volume (l)</option>
              </select>
            </div>
          </div>
          {action.messages.length > 0 && (
            <ul class="error ops-errors" role="alert">
              {action.messages.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
          <div class="dialog-actions">
            <button type="button" class="secondary" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={action.busy}>
              Create product
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

