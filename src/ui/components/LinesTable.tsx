/**
 * The table of product lines in Receive, Transfers, Returns and Counts: one row per line, the
 * columns the screen gives, and the inputs those columns share (a quantity, a money amount, the
 * condition of a returned item, a remove button), each labelled with the product's name. On a phone
 * each row becomes a block (`stacks` in styles.css): every cell shows its column's name beside it.
 */
import type { ComponentChildren } from 'preact';
import type { StockUnit } from '../../domain/events.ts';
import { qtyUnitLabel } from '../line-input.ts';

export interface LineColumn<L> {
  header: ComponentChildren;
  /** A number: right-aligned. */
  num?: boolean;
  /** The cell that names the row (read out before each of its other cells). */
  rowHeader?: boolean;
  class?(line: L): string;
  testId?: string;
  cell(line: L): ComponentChildren;
}

export function LinesTable<L>(props: {
  /** The table's name for screen readers; a table under a heading that names it needs none. */
  label?: string;
  /** Beside `stock-table`; `ops-lines` (editable lines) unless told, '' for a table that only shows. */
  class?: string;
  lines: L[];
  keyOf(line: L): string;
  /** data-* attributes of a row (the product id, the sale line), for people's tools and tests. */
  rowData?(line: L): Record<string, string>;
  columns: (LineColumn<L> | false)[];
}) {
  const columns = props.columns.filter((c): c is LineColumn<L> => c !== false);
  const cellClass = (column: LineColumn<L>, line: L) => [column.num ? 'num' : '', column.class?.(line) ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="table-wrap">
      <table class={['stock-table', 'stacks', props.class ?? 'ops-lines'].filter(Boolean).join(' ')} aria-label={props.label}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" class={column.num ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => (
            <tr key={props.keyOf(line)} {...props.rowData?.(line)}>
              {columns.map((column, i) =>
                column.rowHeader ? (
                  <th key={i} scope="row">
                    {column.cell(line)}
                  </th>
                ) : (
                  <td key={i} class={cellClass(column, line)} data-testid={column.testId} data-label={typeof column.header === 'string' ? column.header : undefined}>
                    {column.cell(line)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A quantity typed on a line, followed by its unit ("g" for a weighed product). */
export function QtyInput(props: { id: string; label: string; value: string; unit: StockUnit; invalid?: boolean; onInput(text: string): void }) {
  return (
    <>
      <label class="visually-hidden" for={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        class="qty-input"
        inputMode="numeric"
        value={props.value}
        aria-invalid={props.invalid}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />{' '}
      {qtyUnitLabel(props.unit)}
    </>
  );
}

/** A money amount typed on a line (a unit cost, a refund). */
export function MoneyInput(props: { id: string; label: string; value: string; onInput(text: string): void }) {
  return (
    <>
      <label class="visually-hidden" for={props.id}>
        {props.label}
      </label>
      <input id={props.id} class="money-input" inputMode="decimal" value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
    </>
  );
}

export type Disposition = 'restock' | 'write-off';

/** What happens to a returned item: back on the shelf, or written off. */
export function DispositionSelect(props: { id: string; name: string; value: Disposition; onChange(value: Disposition): void }) {
  return (
    <>
      <label class="visually-hidden" for={props.id}>
        Condition of {props.name}
      </label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as Disposition)}>
        <option value="restock">Restock (resellable)</option>
        <option value="write-off">Write off (damaged)</option>
      </select>
    </>
  );
}

export function RemoveButton({ name, onRemove }: { name: string; onRemove(): void }) {
  return (
    <button type="button" class="icon danger" aria-label={`Remove ${name}`} onClick={onRemove}>
      ✕
    </button>
  );
}

/** The "Remove" column's header: read out, not shown. */
export const REMOVE_HEADER = <span class="visually-hidden">Remove</span>;
