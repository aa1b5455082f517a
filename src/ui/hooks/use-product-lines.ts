/**
 * The lines of a form that lists products with a typed quantity (a delivery, a purchase order, a
 * transfer, a return without a receipt): adding a product already listed adds one to its quantity.
 */
import { useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import { uuidv7 } from '../../db/ids.ts';

export interface ProductLine {
  /** Tells the rows apart (a product may come back on a later line). */
  key: string;
  productId: string;
  /** The quantity as typed: checked when the form is submitted. */
  qtyText: string;
}

export interface ProductLines<L extends ProductLine> {
  lines: L[];
  /** Replaces all lines (e.g. prefilled from an order). */
  set(lines: L[]): void;
  /** Adds the product with a quantity of 1 (`more` gives the rest of a new line), or 1 more of it. */
  add(product: ProductSnapshot, more: Omit<L, keyof ProductLine>): void;
  change(key: string, change: Partial<L>): void;
  remove(key: string): void;
}

export function useProductLines<L extends ProductLine>(): ProductLines<L> {
  const [lines, setLines] = useState<L[]>([]);
  return {
    lines,
    set: setLines,
    add: (product, more) =>
      setLines((current) => {
        const existing = current.find((l) => l.productId === product.id);
        if (!existing) return [...current, { ...more, key: uuidv7(), productId: product.id, qtyText: '1' } as L];
        const qty = /^\d+$/.test(existing.qtyText.trim()) ? Number(existing.qtyText) : 0;
        return current.map((l) => (l === existing ? { ...l, qtyText: String(qty + 1) } : l));
      }),
    change: (key, change) => setLines((current) => current.map((l) => (l.key === key ? { ...l, ...change } : l))),
    remove: (key) => setLines((current) => current.filter((l) => l.key !== key)),
  };
}

/** A new line's key, for lines a screen makes itself (prefilled from an order or a transfer). */
export const newLineKey = uuidv7;
