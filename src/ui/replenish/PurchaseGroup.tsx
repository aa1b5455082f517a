/**
 * One supplier's suggested purchase on the Reorder screen: its lead time (and where it comes from,
 * with a form to set or clear it), the lines with an editable quantity, their value at the last cost,
 * and one button per location that records the purchase order through `createPurchaseOrder`, for
 * the location the goods go to.
 */
import { useState } from 'preact/hooks';
import { addDays } from '../../domain/calendar.ts';
import { formatMoney, roundHalfAwayFromZero } from '../../domain/money.ts';
import type { SeriesPlan, SupplierSuggestion, SuggestedPurchaseLine } from '../../domain/replenishment/types.ts';
import { createPurchaseOrder, setSupplierLeadTime } from '../../app/commands/index.ts';
import type { AppContext } from '../app-context.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { LinesTable, QtyInput } from '../components/LinesTable.tsx';
import { parseQty, qtyWithUnit } from '../line-input.ts';
import { locationName, OpsMessages } from '../screens/store-ops.tsx';
import { leadTimeWords, supplierName } from './plan-words.ts';

export function lineKey(line: { productId: string; locationId: string }): string {
  return `${line.productId}@${line.locationId}`;
}

interface GroupProps {
  app: AppContext;
  group: SupplierSuggestion;
  /** Its place in the list: element ids are made from it (supplier names may hold any character). */
  index: number;
  /** The plan's business date: the order is expected this many lead-time days after it. */
  asOf: string;
  /** Quantities typed so far, by line key (kept by the screen, so a fresh plan keeps them). */
  typed: Record<string, string>;
  onType(key: string, text: string): void;
  /**
   * The order is recorded: its lines leave the plan, and with them this group, so the screen says
   * what was done (`notice`).
   */
  onOrdered(keys: string[], notice: string): void;
  onOpen(line: SuggestedPurchaseLine): void;
  /** The line's product × location in the plan: on hand and on order. */
  seriesOf(line: SuggestedPurchaseLine): SeriesPlan | undefined;
}

export function PurchaseGroup(props: GroupProps) {
  const { app, group } = props;
  const here = app.settings.locationId;
  const slug = `s${props.index}`;
  const titleId = `supplier-${slug}-title`;
  // One order per location, this device's first: each is delivered to (and recorded for) its place.
  const locations = [...new Set(group.lines.map((line) => line.locationId))].sort((a, b) => (a === here ? -1 : b === here ? 1 : locationName(app, a).localeCompare(locationName(app, b))));

  return (
    <li class="reorder-supplier" data-supplier={group.supplier} aria-labelledby={titleId}>
      <h3 id={titleId}>{supplierName(group.supplier)}</h3>
      <p class="reorder-lead-time" data-testid="lead-time">
        Lead time: {leadTimeWords(group.leadTime)}
      </p>
      {group.supplier !== '' && (
        <details class="reorder-lead">
          <summary>Change the lead time</summary>
          <LeadTimeForm app={app} supplier={group.supplier} slug={slug} set={group.leadTime.source === 'supplier-set'} />
        </details>
      )}
      {locations.map((locationId, i) => (
        <LocationOrder
          key={locationId}
          {...props}
          locationId={locationId}
          lines={group.lines.filter((line) => line.locationId === locationId)}
          slug={`${slug}-${i}`}
          titled={app.locations.length > 1}
        />
      ))}
    </li>
  );
}

/**
 * The supplier's lines for one location and the button that orders them: a purchase order is
 * recorded for the location the goods are delivered to, which need not be this device's (the owner
 * orders for the back room from the shop floor).
 */
function LocationOrder(props: GroupProps & { locationId: string; lines: SuggestedPurchaseLine[]; slug: string; titled: boolean }) {
  const { app, group, lines: suggested, slug, locationId } = props;
  const currency = app.settings.currency;
  const action = useAction(app);
  const [supplierText, setSupplierText] = useState('');
  const productOf = (id: string) => app.catalog.get(id);
  const nameOf = (id: string) => productOf(id)?.name ?? id;
  const unitOf = (id: string) => productOf(id)?.unit ?? 'each';
  const textOf = (line: SuggestedPurchaseLine) => props.typed[lineKey(line)] ?? String(line.qty);
  const valueOf = (line: SuggestedPurchaseLine) => {
    const qty = parseQty(textOf(line), 0);
    return qty.ok ? roundHalfAwayFromZero(qty.value * line.unitCost) : 0;
  };
  const total = suggested.reduce((sum, line) => sum + valueOf(line), 0);
  const place = locationName(app, locationId);
  const expectedAt = addDays(props.asOf, group.leadTime.days);

  const createOrder = async () => {
    const errors: string[] = [];
    const lines = suggested.flatMap((line) => {
      const text = textOf(line).trim();
      // Zero or empty: the owner left it off this order.
      if (text === '' || text === '0') return [];
      const qty = parseQty(text, 0);
      if (!qty.ok) {
        errors.push(`${nameOf(line.productId)}: ${qty.error}`);
        return [];
      }
      return [{ productId: line.productId, qty: qty.value, unitCost: line.unitCost }];
    });
    if (errors.length === 0 && lines.length === 0) return action.refuse('Every quantity is 0 or empty: type how many to order, or leave this supplier for now.');
    const supplier = group.supplier === '' ? supplierText : group.supplier;
    await action.run(
      (context) => withInputErrors(errors, createPurchaseOrder.run({ supplier, expectedAt, lines }, context)),
      () =>
        props.onOrdered(
          suggested.map(lineKey),
          `Purchase order for ${supplier.trim()} created with ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} for ${place}, expected ${expectedAt}. Receive it on the Receive screen when it comes.`,
        ),
      { locationId },
    );
  };

  return (
    <section class="reorder-location-order" data-location-id={locationId} aria-label={`Order from ${supplierName(group.supplier)} for ${place}`}>
      {props.titled && <h4>For {place}</h4>}
      <LinesTable<SuggestedPurchaseLine>
        label={`Suggested order from ${supplierName(group.supplier)} for ${place}`}
        lines={suggested}
        keyOf={lineKey}
        rowData={(line) => ({ 'data-product-id': line.productId, 'data-location-id': line.locationId })}
        columns={[
          {
            header: 'Product',
            rowHeader: true,
            cell: (line) => (
              <button type="button" class="reorder-product-link" onClick={() => props.onOpen(line)}>
                {nameOf(line.productId)}
              </button>
            ),
          },
          {
            header: 'On hand / on order',
            num: true,
            testId: 'on-hand-on-order',
            cell: (line) => {
              const series = props.seriesOf(line);
              const unit = unitOf(line.productId);
              return series ? `${qtyWithUnit(series.onHand, unit)} / ${qtyWithUnit(series.onOrder + series.inTransit, unit)}` : '';
            },
          },
          {
            header: 'Order',
            cell: (line) => {
              const key = lineKey(line);
              return (
                <>
                  <QtyInput
                    id={`order-qty-${slug}-${line.productId}`}
                    label={`Quantity of ${nameOf(line.productId)} to order for ${place}`}
                    value={textOf(line)}
                    unit={unitOf(line.productId)}
                    invalid={!parseQty(textOf(line), 0).ok && textOf(line).trim() !== ''}
                    onInput={(text) => props.onType(key, text)}
                  />
                  <small class="reorder-pack">{packWords(line, unitOf(line.productId))}</small>
                </>
              );
            },
          },
          { header: 'Value', num: true, testId: 'line-value', cell: (line) => formatMoney(valueOf(line), currency) },
        ]}
      />
      <p class="reorder-total">
        Total at last cost: <strong data-testid="supplier-total">{formatMoney(total, currency)}</strong>
      </p>
      <OpsMessages action={action} testId={`order-${slug}`} />
      <form
        class="reorder-order"
        onSubmit={(e) => {
          e.preventDefault();
          void createOrder();
        }}
      >
        {group.supplier === '' && (
          <>
            <label for={`order-supplier-${slug}`}>Supplier for this order</label>
            <input id={`order-supplier-${slug}`} autoComplete="off" value={supplierText} onInput={(e) => setSupplierText(e.currentTarget.value)} />
          </>
        )}
        <button type="submit" class="primary" disabled={action.busy}>
          Create purchase order
        </button>
      </form>
    </section>
  );
}

function packWords(line: SuggestedPurchaseLine, unit: Parameters<typeof qtyWithUnit>[1]): string {
  const parts = [`need ${qtyWithUnit(Math.ceil(line.need), unit)}`];
  if (line.packSize > 1) parts.push(`packs of ${qtyWithUnit(line.packSize, unit)}`);
  if (line.minOrderQty > line.packSize) parts.push(`minimum ${qtyWithUnit(line.minOrderQty, unit)}`);
  return parts.join(' · ');
}

/** The supplier's lead time: set it by hand, or hand it back to what its orders show. */
function LeadTimeForm({ app, supplier, slug, set }: { app: AppContext; supplier: string; slug: string; set: boolean }) {
  const action = useAction(app);
  const [text, setText] = useState('');
  const id = `lead-time-${slug}`;
  /** `clear`: hand the lead time back to what the supplier's orders show. */
  const save = async (clear: boolean) => {
    const typed = text.trim();
    const days = clear ? null : Number(typed);
    const inputErrors = !clear && !/^\d{1,3}$/.test(typed) ? [`“${text}” is not a number of days: type a whole number such as 3.`] : [];
    await action.run(
      (context) => withInputErrors(inputErrors, setSupplierLeadTime.run({ supplier, leadTimeDays: days }, context)),
      () => {
        setText('');
        return days === null ? `${supplier}’s lead time now comes from its orders.` : `${supplier}’s lead time is now ${days} ${days === 1 ? 'day' : 'days'}.`;
      },
    );
  };
  return (
    <form
      class="reorder-lead-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <label for={id}>Lead time in days</label>
      <div class="reorder-inline">
        <input id={id} inputMode="numeric" autoComplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" class="secondary" disabled={action.busy}>
          Set
        </button>
        {set && (
          <button type="button" class="secondary" disabled={action.busy} onClick={() => void save(true)}>
            Use what orders show
          </button>
        )}
      </div>
      <OpsMessages action={action} testId={`lead-time-${slug}`} />
    </form>
  );
}
