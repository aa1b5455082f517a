import type { EventOf, StoreSettings } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { formatRate } from '../../domain/tax.ts';
import { Code128 } from './Code128.tsx';

/** What a receipt prints of the store's settings. */
export type ReceiptStore = Pick<StoreSettings, 'storeName' | 'address' | 'taxId' | 'receiptHeader' | 'receiptFooter' | 'locale' | 'timeZone'>;

/** The sale's time as the store reads it: in its locale and time zone, whatever the device's. */
function receiptTime(sale: EventOf<'sale'>, store: ReceiptStore): string {
  return new Date(sale.recordedAt).toLocaleString(store.locale, { timeZone: store.timeZone, dateStyle: 'short', timeStyle: 'short' });
}

/** A voided sale's receipt keeps its number and says VOIDED, with the reason (issue 14, item 5). */
export interface ReceiptVoid {
  reason: string;
}

/**
 * `cashier`: who sold, for people (`actorName`: a staff member's name, issue 17); without it the
 * sale's `userId` as it is (a cashier name, on sales from before staff or a store without).
 */
export function Receipt({ sale, store, voided, cashier }: { sale: EventOf<'sale'>; store: ReceiptStore; voided?: ReceiptVoid | undefined; cashier?: string | undefined }) {
  const money = (amount: number) => formatMoney(amount, sale.currency, store.locale);
  const taxByRate = new Map<number, number>();
  for (const line of sale.lines) taxByRate.set(line.taxRateBp, (taxByRate.get(line.taxRateBp) ?? 0) + line.tax);
  return (
    <article class="receipt" aria-label={`Receipt ${sale.receiptNo}`}>
      <header>
        <h2>{store.storeName}</h2>
        {store.address && <p class="receipt-address" data-testid="receipt-address">{store.address}</p>}
        {store.taxId && <p data-testid="receipt-tax-id">Tax ID {store.taxId}</p>}
        {store.receiptHeader && <p class="receipt-note" data-testid="receipt-header">{store.receiptHeader}</p>}
        <p>
          Receipt <strong data-testid="receipt-no">{sale.receiptNo}</strong>
          <br />
          <span data-testid="receipt-time">{receiptTime(sale, store)}</span> · <span data-testid="receipt-cashier">{cashier ?? sale.userId}</span>
        </p>
        {voided && (
          <p class="voided-stamp" data-testid="receipt-voided">
            VOIDED <small>Reason: {voided.reason}</small>
          </p>
        )}
      </header>
      <table>
        <tbody>
          {sale.lines.map((line) => (
            <tr key={line.lineId}>
              <td>
                {line.name}
                <br />
                <small>
                  {line.unit === 'each' ? `${line.qty} × ${money(line.unitPrice)}` : `${line.qty} ${line.unit === 'kg' ? 'g' : 'ml'} @ ${money(line.unitPrice)}/${line.unit}`}
                  {line.listPrice !== undefined && line.listPrice !== line.unitPrice && ` (price changed from ${money(line.listPrice)})`}
                  {line.lineDiscount + line.cartDiscountShare > 0 && ` · discount −${money(line.lineDiscount + line.cartDiscountShare)}`}
                </small>
              </td>
              <td class="num">{money(line.gross)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr class="total">
            <th scope="row">Total</th>
            <td class="num" data-testid="receipt-total">{money(sale.totals.gross)}</td>
          </tr>
          {[...taxByRate].map(([rate, tax]) => (
            <tr key={rate}>
              <td>{sale.pricesIncludeTax ? 'incl.' : 'plus'} tax {formatRate(rate)}</td>
              <td class="num">{money(tax)}</td>
            </tr>
          ))}
          {sale.cashRounding !== undefined && (
            <tr>
              <td>Cash rounding</td>
              <td class="num" data-testid="receipt-rounding">{money(sale.cashRounding)}</td>
            </tr>
          )}
          {sale.tenders.map((tender) => (
            <tr key={tender.method}>
              <td>{tender.method === 'cash' ? 'Cash' : 'Card'}</td>
              <td class="num">{money(tender.received ?? tender.amount)}</td>
            </tr>
          ))}
          {sale.change > 0 && (
            <tr>
              <td>Change</td>
              <td class="num">{money(sale.change)}</td>
            </tr>
          )}
        </tfoot>
      </table>
      {store.receiptFooter && <p class="receipt-note" data-testid="receipt-footer">{store.receiptFooter}</p>}
      {/* Scanned at Returns to find this sale again. */}
      <footer class="receipt-barcode">
        <Code128 text={sale.receiptNo} />
      </footer>
    </article>
  );
}

export function receiptText(sale: EventOf<'sale'>, store: ReceiptStore, voided?: ReceiptVoid): string {
  const money = (amount: number) => formatMoney(amount, sale.currency, store.locale);
  return [
    store.storeName,
    ...(store.address ? [store.address] : []),
    ...(store.taxId ? [`Tax ID ${store.taxId}`] : []),
    ...(store.receiptHeader ? [store.receiptHeader] : []),
    `Receipt ${sale.receiptNo} · ${receiptTime(sale, store)}`,
    ...(voided ? [`VOIDED · Reason: ${voided.reason}`] : []),
    ...sale.lines.map((l) => `${l.qty} × ${l.name}  ${money(l.gross)}`),
    `Total ${money(sale.totals.gross)} (tax ${money(sale.totals.tax)})`,
    ...(sale.cashRounding === undefined ? [] : [`Cash rounding ${money(sale.cashRounding)}`]),
    ...sale.tenders.map((t) => `${t.method === 'cash' ? 'Cash' : 'Card'} ${money(t.received ?? t.amount)}`),
    ...(sale.change > 0 ? [`Change ${money(sale.change)}`] : []),
    ...(store.receiptFooter ? [store.receiptFooter] : []),
  ].join('\n');
}
