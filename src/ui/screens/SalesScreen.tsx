import { useState } from 'preact/hooks';
import type { EventOf, LedgerEvent } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import type { AppContext } from '../app-context.ts';
import { useLiveQuery, useProjection, useSettings } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';
import { voidSale } from '../../app/commands/index.ts';
import { Receipt } from '../components/Receipt.tsx';
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
  const voiding = useAction(app);
  const sales = events.filter((e): e is EventOf<'sale'> => e.kind === 'sale').sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
  const voided = new Set(events.flatMap((e) => (e.kind === 'sale-voided' ? [e.saleId] : [])));
  const live = sales.filter((s) => !voided.has(s.id));
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const books = useProjection(app)?.books;
  const cogsOf = (saleId: string) => books?.saleCogs(saleId)?.reduce((sum, line) => sum + line.cogs, 0);
  const liveNet = live.reduce((sum, s) => sum + s.totals.net, 0);
  const liveCogs = live.reduce<number | undefined>((sum, s) => (sum === undefined ? undefined : (cogsOf(s.id) ?? NaN) + sum), 0);

  const askToVoid = async (sale: EventOf<'sale'>) => {
    const reason = window.prompt(`Void receipt ${sale.receiptNo}? Give a reason:`, 'Customer changed their mind');
    if (reason === null) return;
    await voiding.run((context) => voidSale.run({ saleId: sale.id, reason }, context));
  };

  return (
    <section class="screen sales" aria-labelledby="sales-title">
      <h1 id="sales-title">Today's sales</h1>
      <p class="summary">
        <span data-testid="sales-count">{live.length}</span> sales · <span data-testid="sales-total">{money(live.reduce((sum, s) => sum + s.totals.gross, 0))}</span>
        {voided.size > 0 && ` · ${voided.size} voided`}
      </p>
      {liveCogs !== undefined && !Number.isNaN(liveCogs) && live.length > 0 && (
        <p class="summary" data-testid="sales-margin">
          Net revenue {money(liveNet)} · cost of goods sold {money(liveCogs)} · margin {money(liveNet - liveCogs)} (
          {liveNet === 0 ? '0' : ((100 * (liveNet - liveCogs)) / liveNet).toFixed(1)} %)
        </p>
      )}
      {voiding.messages.length > 0 && (
        <p class="error" role="alert">
          {voiding.messages[0]}
        </p>
      )}
      {sales.length === 0 && <p class="empty">No sales yet today.</p>}
      <ul class="sales-list">
        {sales.map((sale) => (
          <li key={sale.id} class={voided.has(sale.id) ? 'voided' : ''} data-receipt={sale.receiptNo}>
            <button type="button" class="sale-row" aria-expanded={open === sale.id} onClick={() => setOpen(open === sale.id ? null : sale.id)}>
              <span>{new Date(sale.recordedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
              <span>#{sale.receiptNo}</span>
              <span>{sale.lines.length} lines</span>
              <span class="num">{money(sale.totals.gross)}</span>
              {voided.has(sale.id) && <span class="badge">Voided</span>}
            </button>
            {open === sale.id && (
              <div class="sale-detail">
                <Receipt sale={sale} store={settings} voided={voided.has(sale.id)} />
                {cogsOf(sale.id) !== undefined && (
                  <p data-testid="sale-cogs">
                    Cost of goods {money(cogsOf(sale.id) ?? 0)} · margin {money(sale.totals.net - (cogsOf(sale.id) ?? 0))}
                  </p>
                )}
                {!voided.has(sale.id) && (
                  <button type="button" class="danger" onClick={() => void askToVoid(sale)}>
                    Void sale
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
