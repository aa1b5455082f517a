import { useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import type { CsvProblem, CsvReorderLevels } from '../../domain/catalog-csv.ts';
import type { ReorderLevelLine } from '../../domain/events.ts';
import { parseAnyCatalogCsv, type CatalogLayout } from '../../domain/exports/foreign-catalog.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'problems'; problems: CsvProblem[]; rows: number; layout: CatalogLayout }
  | { kind: 'importing'; done: number; total: number }
  | { kind: 'done'; imported: number; layout: CatalogLayout; ignored: string[] }
  | { kind: 'failed'; message: string };

const SHOWN_PROBLEMS = 10;

const LAYOUT_NAMES: Record<CatalogLayout, string> = { perpetua: 'Perpetua', shopify: 'Shopify product CSV', square: 'Square item library' };

/** Shopify says only "taxable": such products get the rate most of the catalog has (0 for an empty one). */
function commonTaxRate(app: AppContext): number {
  const counts = new Map<number, number>();
  for (const product of app.catalog.all()) counts.set(product.taxRateBp, (counts.get(product.taxRateBp) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/** Settings section: load a product list (CSV) into the catalog as products-defined events (catalog-import.ts). */
export function CatalogImport({ app }: { app: AppContext }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  const importFile = async (file: File) => {
    const { products, problems, reorderLevels, layout, ignoredColumns } = parseAnyCatalogCsv(await file.text(), app.settings.currency, { taxableRateBp: commonTaxRate(app) });
    const known = products.filter((p) => app.catalog.get(p.id) !== undefined);
    const levels = reorderLinesOf(reorderLevels, app);
    const allProblems = [
      ...problems,
      ...levels.problems,
      ...known.map((p) => ({ line: 0, message: `SKU ${p.sku} is already in the catalog; change it there instead.` })),
    ];
    if (allProblems.length > 0 || products.length === 0) {
      setState({ kind: 'problems', problems: allProblems.length > 0 ? allProblems : [{ line: 1, message: 'The file has no product rows.' }], rows: products.length, layout });
      return;
    }
    setState({ kind: 'importing', done: 0, total: products.length });
    try {
      const { importCatalog } = await import('../../db/catalog-import.ts');
      const result = await importCatalog(app.db, products, (p) => setState({ kind: 'importing', done: p.done, total: p.total }), {
        catalog: app.catalog,
        context: app.recording(),
        role: app.role,
      });
      await app.projection?.refresh();
      if (levels.lines.length > 0) await recordReorderLevels(app, levels.lines);
      setState({ kind: 'done', imported: result.imported, layout, ignored: ignoredColumns });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section aria-labelledby="catalog-import-title" class="catalog-import">
      <h2 id="catalog-import-title">Import products</h2>
      <p class="hint">
        A CSV file with a header row: <code>name, sku, barcode, price, cost, tax, unit</code> (barcode, cost, tax and unit are optional; several
        barcodes separated by |; prices in {app.settings.currency}; tax in percent; unit each, kg or l). Optional: <code>supplier, pack_size, min_order_qty</code>{' '}
        (pack and minimum order in the product’s unit) and <code>reorder_point, order_up_to</code> in the product’s unit, for this device’s location or
        the one a <code>location</code> column names. A product export from Shopify or
        Square&rsquo;s item library is read too.
      </p>
      <label>
        Product list (CSV)
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={state.kind === 'importing'}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void importFile(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      {state.kind === 'importing' && (
        <p role="status">
          Importing… {state.done.toLocaleString()} of {state.total.toLocaleString()} products
        </p>
      )}
      {state.kind === 'done' && (
        <p role="status" data-testid="import-result">
          Imported {state.imported.toLocaleString()} products from a {LAYOUT_NAMES[state.layout]} file. They can be scanned and sold now.
          {state.ignored.length > 0 && <> Columns not read: {state.ignored.join(', ')}.</>}
        </p>
      )}
      {state.kind === 'failed' && (
        <p class="error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'problems' && (
        <div class="error" role="alert" data-testid="import-problems">
          <p>Nothing was imported from this {LAYOUT_NAMES[state.layout]} file. Fix these rows and load the file again:</p>
          <ul>
            {state.problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <li key={i}>{p.line > 0 ? `Line ${p.line}: ${p.message}` : p.message}</li>
            ))}
          </ul>
          {state.problems.length > SHOWN_PROBLEMS && <p>…and {state.problems.length - SHOWN_PROBLEMS} more.</p>}
        </div>
      )}
    </section>
  );
}

/** The file's reorder levels at the store's locations, or why a row names none ('' is this device's). */
function reorderLinesOf(rows: readonly CsvReorderLevels[], app: AppContext): { lines: ReorderLevelLine[]; problems: CsvProblem[] } {
  const lines: ReorderLevelLine[] = [];
  const problems: CsvProblem[] = [];
  for (const row of rows) {
    const wanted = row.location.trim().toLowerCase();
    const location = wanted === '' ? app.locations.find((l) => l.id === app.settings.locationId) : app.locations.find((l) => l.id.toLowerCase() === wanted || l.name.toLowerCase() === wanted);
    if (!location) {
      problems.push({ line: row.line, message: `the location "${row.location}" is not one of the store’s: use ${app.locations.map((l) => l.name).join(', ')}.` });
      continue;
    }
    lines.push({ productId: row.productId, locationId: location.id, reorderPoint: row.reorderPoint, orderUpTo: row.orderUpTo });
  }
  return { lines, problems };
}

/** The imported products' reorder levels, through the owner's command (the products are in the catalog now). */
async function recordReorderLevels(app: AppContext, lines: ReorderLevelLine[]): Promise<void> {
  const { setReorderLevels } = await import('../../app/commands/reorder.ts');
  const result = setReorderLevels.run({ lines }, app.commandContext());
  if (!result.ok) throw new Error(`The products were imported, but not their reorder levels: ${result.errors.map((e) => e.message).join(' ')} Set them on each product’s screen.`);
  for (const body of result.bodies) await app.record(body);
}
