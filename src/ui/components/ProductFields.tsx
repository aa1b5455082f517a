/**
 * The fields of a product as the owner fills them, shared by the new-product dialog and the Edit
 * product screen: prices per piece / kg / litre, costs typed the same way (stored per gram or ml for
 * weighed products, see line-input.ts), and the tax rates the store already uses.
 */
import type { ComponentChildren } from 'preact';
import type { ProductSnapshot, StockUnit } from '../../domain/events.ts';

export function priceLabel(unit: StockUnit): string {
  return `Selling price${unit === 'each' ? '' : ` per ${unit}`}`;
}

/** The rates to choose from: 0 %, every rate in the catalog, and the product's own. */
export function taxRateChoices(products: readonly ProductSnapshot[], own?: number): number[] {
  return [...new Set([0, ...products.map((p) => p.taxRateBp), ...(own === undefined ? [] : [own])])].sort((a, b) => a - b);
}

export function TaxRateSelect(props: { id: string; rates: readonly number[]; value: string; onChange(value: string): void; invalid?: boolean; describedBy?: string }) {
  return (
    <select id={props.id} value={props.value} aria-invalid={props.invalid} aria-describedby={props.describedBy} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.rates.map((r) => (
        <option key={r} value={String(r)}>
          {r / 100} %
        </option>
      ))}
    </select>
  );
}

/**
 * A labelled field with its error under it: the message is tied to the input (aria-describedby),
 * so a screen reader reads it with the field. `children` gets the attributes for the input.
 */
export function Field(props: { id: string; label: string; error: string | undefined; children(described: { invalid: boolean; describedBy: string | undefined }): ComponentChildren }) {
  const errorId = `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({ invalid: props.error !== undefined, describedBy: props.error === undefined ? undefined : errorId })}
      {props.error !== undefined && (
        <p class="error field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}
