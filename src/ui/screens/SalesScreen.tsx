import { useState } from 'preact/hooks';
import type { EventOf, LedgerEvent } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { salesCostsOf, salesSummary } from '../../domain/sales-summary.ts';
import { actorName } from '../../domain/staff.ts';
import type { AppContext } from '../app-context.ts';
import { useLiveQuery, useProjection, useSettings } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';
import { voidSale } from '../../app/commands/index.ts';
import { Receipt, receiptText, type ReceiptVoid } from '../components/Receipt.tsx';
import { VoidDialog } from '../components/VoidDialog.tsx';
import { readEventsSince } from '../../db/event-store.ts';

function startOfToday(): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

export function SalesScreen({ app }: { app: AppContext }) {
  const { db } = app;
  const settings = useSettings(app);
  const events = useLiveQuery(
    () => readEventsSince(db, startOfToday()),
    [],
    [] as LedgerEvent[],
  );
  const [open, setOpen] = useState<string | null>(null);
  const [voiding, setVoiding] = useState<EventOf<'sale'> | null>(null);
  const action = useAction(app);
  const sales = events.filter((e): e is EventOf<'sale'> => e.kind === 'sale').sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
  // The first void of a sale is the one that counts (and the one whose reason is printed).
  const voids = new Map<string, ReceiptVoid>();
  for (const e of [...events].sort((a, b) => (a.hlc < b.hlc ? -1 : 1))) if (e.kind === 'sale-voided' && !voids.has(e.saleId)) voids.set(e.saleId, { reason: e.reason });
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const books = useProjection(app)?.books;
  // Cost of goods and margin are the owner's figures (issue 15): a staff device neither shows nor computes them.
  const showCost = app.role === 'owner';
  // Net of returns and voids (issue 14, item 3): src/domain/sales-summary.ts.
  const costs = books && showCost ? salesCostsOf(books) : undefined;
  const summary = salesSummary(events, costs);
  // Who sold: a staff member's name (issue 17), or the cashier name sales carried before.
  const cashierOf = (sale: EventOf<'sale'>) => (books ? actorName(books.staff(), sale.userId) : sale.userId);

  const confirmVoid = async (sale: EventOf<'sale'>, reason: string) => {
    const done = await action.run((context) => voidSale.run({ saleId: sale.id, reason }, context), () => `Receipt ${sale.receiptNo} is voided (${reason}).`);
    if (done) setVoiding(null);
  };
  const share = async (sale: EventOf<'sale'>) => {
    const text = receiptText(sale, settings, voids.get(sale.id));
    if (navigator.share) await navigator.share({ title: `Receipt ${sale.receiptNo}`, text }).catch(() => undefined);
    else await navigator.clipboard?.writeText(text).catch(() => undefined);
  };

  return (
    <section class="screen sales" aria-labelledby="sales-title">
      <h1 id="sales-title">Today's sales</h1>
      <p class="summary">
        <span data-testid="sales-count">{summary.sales}</span> {summary.sales === 1 ? 'sale' : 'sales'} · net <span data-testid="sales-total">{money(summary.netSales)}</span>
        {summary.voids > 0 && <span data-testid="sales-voided"> · {summary.voids} voided, not counted</span>}
      </p>
      <table class="sales-figures" aria-label="Today's figures">
        <tbody>
          <tr>
            <th scope="row">Sales ({summary.sales})</th>
            <td class="num" data-testid="sales-gross">{money(summary.grossSales)}</td>
          </tr>
          <tr>
            <th scope="row">Refunds ({summary.returns} {summary.returns === 1 ? 'return' : 'returns'})</th>
            <td class="num" data-testid="sales-refunds">−{money(summary.refunds)}</td>
          </tr>
          <tr class="total">
            <th scope="row">Net sales, incl. tax</th>
            <td class="num" data-testid="sales-net">{money(summary.netSales)}</td>
          </tr>
          {summary.voids > 0 && (
            <tr>
              <th scope="row">Voided ({summary.voids}), not counted</th>
              <td class="num">{money(summary.voidedGross)}</td>
            </tr>
          )}
        </tbody>
      </table>
      <p class="summary" data-testid="sales-margin">
        Net revenue {money(summary.netRevenue)}
        {showCost && summary.cogs !== undefined && summary.margin !== undefined && (
          <>
            {' '}
            · cost of goods sold {money(summary.cogs)} · margin {money(summary.margin)} (
            {summary.netRevenue === 0 ? '0' : ((100 * summary.margin) / summary.netRevenue).toFixed(1)} %)
          </>
        )}
      </p>
      {action.notice && (
        <p class="hint" role="status">
          {action.notice}
        </p>
      )}
      {sales.length === 0 && <p class="empty">No sales yet today.</p>}
      <ul class="sales-list">
        {sales.map((sale) => {
          const voided = voids.get(sale.id);
          const cogs = costs?.saleCogs(sale.id);
          return (
            <li key={sale.id} class={[voided ? 'voided' : '', open === sale.id ? 'open' : ''].join(' ').trim()} data-receipt={sale.receiptNo}>
              <button type="button" class="sale-row" aria-expanded={open === sale.id} onClick={() => setOpen(open === sale.id ? null : sale.id)}>
                <span>{new Date(sale.recordedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
                <span>#{sale.receiptNo}</span>
                <span>
                  {sale.lines.length} {sale.lines.length === 1 ? 'line' : 'lines'} · <span data-testid="sale-cashier">{cashierOf(sale)}</span>
                </span>
                <span class="num">{money(sale.totals.gross)}</span>
                {voided && <span class="badge">Voided</span>}
              </button>
              {open === sale.id && (
                <div class="sale-detail">
                  <Receipt sale={sale} store={settings} voided={voided} cashier={cashierOf(sale)} />
                  {cogs !== undefined && !voided && (
                    <p data-testid="sale-cogs">
                      Cost of goods {money(cogs)} · margin {money(sale.totals.net - cogs)}
                    </p>
                  )}
                  <div class="dialog-actions">
                    <button type="button" class="secondary" onClick={() => window.print()}>
                      Print
                    </button>
                    <button type="button" class="secondary" onClick={() => void share(sale)}>
                      Share
                    </button>
                    {!voided && (
                      <button
                        type="button"
                        class="danger"
                        onClick={() => {
                          action.clear();
                          setVoiding(sale);
                        }}
                      >
                        Void sale
                      </button>
                    )}
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {voiding && (
        <VoidDialog
          receiptNo={voiding.receiptNo}
          amount={money(voiding.totals.gross)}
          busy={action.busy}
          error={action.messages[0]}
          onCancel={() => {
            action.clear();
            setVoiding(null);
          }}
          onConfirm={(reason) => void confirmVoid(voiding, reason)}
        />
      )}
    </section>
  );
}
