/**
 * The owner's reorder levels of one product, per location (issue 15): the reorder point (on hand
 * below it is low stock, an alert on Today) and the level to order up to. Quantities in the
 * product's unit (kilograms or litres for weighed products); empty clears a level.
 */
import { useState } from 'preact/hooks';
import { formatUnitQty, parseUnitQty } from '../../domain/catalog-csv.ts';
import type { ProductSnapshot, ReorderLevelLine } from '../../domain/events.ts';
import { reorderKey } from '../../domain/reorder-levels.ts';
import { setReorderLevels, type FieldError } from '../../app/commands/index.ts';
import type { AppContext } from '../app-context.ts';
import { useLocations, useProjection } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';

interface LevelText {
  reorderPoint: string;
  orderUpTo: string;
}

export function ReorderLevelsForm({ app, product }: { app: AppContext; product: ProductSnapshot }) {
  const projection = useProjection(app);
  const locations = useLocations(app);
  const levels = projection?.books.reorderLevels();
  const textOf = (locationId: string): LevelText => {
    const level = levels?.get(reorderKey(product.id, locationId));
    const text = (qty: number | undefined) => (qty === undefined ? '' : formatUnitQty(qty, product.unit));
    return { reorderPoint: text(level?.reorderPoint), orderUpTo: text(level?.orderUpTo) };
  };
  const [form, setForm] = useState<Record<string, LevelText>>({});
  const action = useAction(app);
  const valueOf = (locationId: string): LevelText => form[locationId] ?? textOf(locationId);
  const set = (locationId: string, patch: Partial<LevelText>) => setForm((f) => ({ ...f, [locationId]: { ...valueOf(locationId), ...patch } }));
  const unitWord = product.unit === 'each' ? 'pieces' : product.unit === 'kg' ? 'kg' : 'litres';

  const save = async () => {
    const inputErrors: FieldError[] = [];
    const lines: ReorderLevelLine[] = [];
    locations.forEach((location, i) => {
      const text = valueOf(location.id);
      const reorderPoint = parseUnitQty(text.reorderPoint, product.unit);
      const orderUpTo = parseUnitQty(text.orderUpTo, product.unit);
      const what = product.unit === 'each' ? 'a whole number of pieces' : `a number of ${unitWord} with up to 3 decimals`;
      if (reorderPoint === undefined) inputErrors.push({ field: `lines.${i}.reorderPoint`, message: `${location.name}: the reorder point “${text.reorderPoint}” is not ${what}.` });
      if (orderUpTo === undefined) inputErrors.push({ field: `lines.${i}.orderUpTo`, message: `${location.name}: order up to “${text.orderUpTo}” is not ${what}.` });
      if (reorderPoint !== undefined && orderUpTo !== undefined) lines.push({ productId: product.id, locationId: location.id, reorderPoint, orderUpTo });
    });
    const events = await action.run(
      (context) => (inputErrors.length > 0 ? { ok: false, errors: inputErrors } : setReorderLevels.run({ lines }, context)),
      (recorded) => (recorded.length === 0 ? 'Nothing changed: the reorder levels were already these.' : 'Saved the reorder levels.'),
    );
    if (events) setForm({});
  };

  return (
    <form
      class="reorder-levels"
      aria-labelledby="reorder-levels-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="reorder-levels-title">Reorder levels</h2>
      <p class="hint">
        Below the reorder point the product shows as low stock on Today, with what to order to be back at the order-up-to level. In {unitWord}; leave
        empty for none.
      </p>
      <div class="reorder-levels-rows">
        {locations.map((location, i) => {
          const text = valueOf(location.id);
          const onHand = projection?.books.onHand(product.id, location.id);
          const id = `reorder-${i}`;
          return (
            <fieldset key={location.id} class="reorder-levels-row" data-location-id={location.id}>
              <legend>
                {location.name}
                {onHand !== undefined && <span class="hint"> · {formatUnitQty(onHand, product.unit)} on hand</span>}
              </legend>
              <label for={`${id}-point`}>
                Reorder point
                <input id={`${id}-point`} inputMode="decimal" autoComplete="off" value={text.reorderPoint} onInput={(e) => set(location.id, { reorderPoint: e.currentTarget.value })} />
              </label>
              <label for={`${id}-up-to`}>
                Order up to
                <input id={`${id}-up-to`} inputMode="decimal" autoComplete="off" value={text.orderUpTo} onInput={(e) => set(location.id, { orderUpTo: e.currentTarget.value })} />
              </label>
            </fieldset>
          );
        })}
      </div>
      {action.errors.length > 0 && (
        <ul class="error ops-errors" role="alert" data-testid="reorder-levels-errors">
          {action.errors.map((e) => (
            <li key={e.message}>{e.message}</li>
          ))}
        </ul>
      )}
      {action.notice !== null && (
        <p class="notice info" role="status" data-testid="reorder-levels-notice">
          {action.notice}
        </p>
      )}
      <div class="product-edit-actions">
        <span />
        <button type="submit" class="primary" disabled={action.busy || projection === null}>
          Save reorder levels
        </button>
      </div>
    </form>
  );
}
