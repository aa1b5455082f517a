/**
 * The product search box and its results, as Sell, Look up, Counts and the store-operation screens
 * show them. Enter picks the product with the typed code, or the only match; a search that matches
 * nothing is the screen's to answer (`onNoMatch`: a notice, or a lookup as if scanned).
 */
import type { ComponentChildren, Ref } from 'preact';
import type { ProductSnapshot } from '../../domain/events.ts';
import type { ProductSearch } from '../hooks/use-product-search.ts';

export function ProductSearchForm(props: {
  search: ProductSearch;
  id: string;
  label: string;
  onPick(product: ProductSnapshot): void;
  /** The trimmed text of a search that matched no product. */
  onNoMatch?(text: string): void;
  /** Also told of each change of the text (a screen clears its last message). */
  onType?(): void;
  inputRef?: Ref<HTMLInputElement>;
  class?: string;
  /** Wraps the input and the buttons in a row of this class. */
  rowClass?: string;
  /** Buttons after the input (the camera). */
  children?: ComponentChildren;
}) {
  const { search } = props;
  const field = (
    <>
      <input
        id={props.id}
        ref={props.inputRef}
        type="search"
        placeholder="Name, SKU or barcode"
        autoComplete="off"
        enterKeyHint="search"
        value={search.query}
        onInput={(e) => {
          search.setQuery(e.currentTarget.value);
          props.onType?.();
        }}
      />
      {props.children}
    </>
  );
  return (
    <form
      role="search"
      class={props.class}
      onSubmit={(e) => {
        e.preventDefault();
        const text = search.query.trim();
        if (text === '') return;
        const only = search.picked();
        if (only) {
          props.onPick(only);
          search.setQuery('');
        } else if (search.results.length === 0) {
          props.onNoMatch?.(text);
        }
      }}
    >
      <label for={props.id}>{props.label}</label>
      {props.rowClass ? <div class={props.rowClass}>{field}</div> : field}
    </form>
  );
}

/** The matching products as buttons; what a button shows is the screen's (`children`). */
export function ProductResults(props: {
  products: ProductSnapshot[];
  label: string;
  class: string;
  buttonClass: string;
  onPick(product: ProductSnapshot): void;
  /** The search to empty after a pick (left out where the results stay, as on Sell's tiles). */
  search?: ProductSearch;
  /** Shown as the only item when nothing matches. */
  empty?: ComponentChildren;
  children(product: ProductSnapshot): ComponentChildren;
}) {
  return (
    <ul class={props.class} aria-label={props.label}>
      {props.products.length === 0 && props.empty}
      {props.products.map((p) => (
        <li key={p.id}>
          <button
            type="button"
            class={props.buttonClass}
            onClick={() => {
              props.onPick(p);
              props.search?.setQuery('');
            }}
          >
            {props.children(p)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The chip that shows the owner's favourites; any other chip is a category's name. */
export const FAVOURITES_CHIP = 'favourites';

/**
 * A row of chips, one per group of products (Sell's favourites and categories): tapping one shows
 * that group's tiles, tapping it again shows the usual grid. Pressed state is `aria-pressed`.
 */
export function CategoryChips(props: { chips: { key: string; label: string }[]; selected: string | null; onSelect(key: string | null): void }) {
  if (props.chips.length === 0) return null;
  return (
    <ul class="category-chips" aria-label="Categories">
      {props.chips.map((chip) => (
        <li key={chip.key}>
          <button type="button" aria-pressed={props.selected === chip.key} onClick={() => props.onSelect(props.selected === chip.key ? null : chip.key)}>
            {chip.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
