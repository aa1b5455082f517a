/**
 * The owner's audit trail (issue 17, item 5), on the owner's device only: for a period (today, this
 * week, or from–to) and one member or all, what each member did that the owner wants to see (voids,
 * refunds, discounts, price overrides, cash moves, drawer differences, approvals, wrong PINs), each
 * member's totals at the top, the entries by day. Everything is `src/domain/audit.ts` over this
 * device's own books, and "Download CSV" is the same `buildExport('audit')` the server serves, so it
 * works offline.
 */
import { useMemo, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useProjection, useSettings } from '../hooks/index.ts';
import { formatMoney } from '../../domain/money.ts';
import { AUDIT_KIND_WORDS, AUDIT_KINDS, auditSummary, auditTrail, type AuditEntry, type AuditKind } from '../../domain/audit.ts';
import { addDays, startOfWeek } from '../../domain/calendar.ts';
import { buildExport, businessDateOf } from '../../domain/exports/index.ts';
import { ROLE_WORDS } from '../../domain/staff.ts';
import { downloadCsv } from '../components/download-csv.ts';
import './audit-screen.css';

type PeriodChoice = 'today' | 'week' | 'custom';
const PERIODS: { id: PeriodChoice; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'week', label: 'This week' },
  { id: 'custom', label: 'From – to' },
];

/** Kinds whose amounts add up to something meaningful (an approval's amounts mix voids and cash drops). */
const SUMMED_KINDS: ReadonlySet<AuditKind> = new Set<AuditKind>(['void', 'refund', 'refund-without-receipt', 'discount', 'price-override', 'cash-move', 'drawer-difference']);

function todayIn(timeZone: string): string {
  return businessDateOf(new Date().toISOString(), timeZone);
}

/** A business date as people read it, in the store's locale: "Tuesday 14 November 2023". */
function dayLabel(date: string, locale: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function AuditScreen({ app }: { app: AppContext }) {
  const settings = useSettings(app);
  const books = useProjection(app)?.books;
  const { timeZone, currency, locale } = settings;
  const today = todayIn(timeZone);
  const [period, setPeriod] = useState<PeriodChoice>('today');
  const [customFrom, setCustomFrom] = useState(() => addDays(today, -6));
  const [customTo, setCustomTo] = useState(today);
  const [memberId, setMemberId] = useState('');
  const [error, setError] = useState('');
  const range = period === 'today' ? { from: today, to: today } : period === 'week' ? { from: startOfWeek(today), to: today } : { from: customFrom, to: customTo };
  const validRange = range.from !== '' && range.to !== '' && range.from <= range.to;
  const size = books?.size ?? 0;
  // Every member's entries of the period, once per period and ledger size; the member filter picks from them.
  const everyone = useMemo(() => (books && validRange ? auditTrail(books, range) : []), [books, size, validRange, range.from, range.to]);

  if (app.role !== 'owner') {
    return (
      <section class="screen audit" aria-labelledby="audit-title">
        <h1 id="audit-title">Audit trail</h1>
        <p role="status">The audit trail shows what each staff member did with money and approvals, so only the owner’s device shows it. Ask the owner.</p>
      </section>
    );
  }
  if (!books) {
    return (
      <section class="screen audit" aria-labelledby="audit-title">
        <h1 id="audit-title">Audit trail</h1>
        <p role="status">Reading the books…</p>
      </section>
    );
  }

  const roster = books.staff();
  // Every member defined, and anyone else who acted in the period (a cashier name from before staff).
  const memberChoices = new Map(roster.members().map((m) => [m.id, m.active ? m.name : `${m.name} (inactive)`]));
  for (const entry of everyone) if (!memberChoices.has(entry.memberId)) memberChoices.set(entry.memberId, entry.memberName);
  const entries = memberId === '' ? everyone : everyone.filter((e) => e.memberId === memberId);
  const summary = auditSummary(entries);
  const days = groupByDay(entries);
  const locations = new Map(books.locations().map((l) => [l.id, l.name]));
  const money = (amount: number) => formatMoney(amount, currency);

  const download = () => {
    const result = buildExport('audit', books, { ...range, ...(memberId === '' ? {} : { member: memberId }) });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError('');
    for (const file of result.files) downloadCsv(file);
  };

  return (
    <section class="screen audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <p class="hint">From this device’s own books: it works offline. Days are the store’s ({timeZone}).</p>

      <fieldset class="audit-period">
        <legend>Period</legend>
        <div class="audit-period-choices">
          {PERIODS.map((p) => (
            <button type="button" key={p.id} aria-pressed={period === p.id} onClick={() => setPeriod(p.id)}>
              {p.label}
            </button>
          ))}
        </div>
        {period === 'custom' && (
          <div class="audit-range">
            <label>
              From
              <input type="date" value={customFrom} onInput={(e) => setCustomFrom(e.currentTarget.value)} />
            </label>
            <label>
              To
              <input type="date" value={customTo} onInput={(e) => setCustomTo(e.currentTarget.value)} />
            </label>
          </div>
        )}
        {validRange && (
          <p class="audit-period-label" data-testid="audit-period">
            {range.from === range.to ? dayLabel(range.from, locale) : `${dayLabel(range.from, locale)} – ${dayLabel(range.to, locale)}`}
          </p>
        )}
      </fieldset>
      <div class="audit-filters">
        <label>
          Member
          <select value={memberId} onChange={(e) => setMemberId(e.currentTarget.value)}>
            <option value="">All members</option>
            {[...memberChoices].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="primary" disabled={!validRange} data-testid="download-audit" onClick={download}>
          Download CSV
        </button>
      </div>
      {!validRange && (
        <p class="error" role="alert">
          Choose a start date on or before the end date.
        </p>
      )}
      {error !== '' && (
        <p class="error" role="alert">
          {error}
        </p>
      )}

      {validRange && entries.length === 0 && (
        <p role="status" data-testid="audit-empty">
          Nothing to show: no voids, refunds, discounts, price changes, cash moves, drawer differences, approvals or wrong PINs {memberId === '' ? '' : `by ${memberChoices.get(memberId) ?? memberId} `}in this period.
        </p>
      )}

      {summary.length > 0 && (
        <section aria-labelledby="audit-summary-title">
          <h2 id="audit-summary-title">By member</h2>
          <ul class="audit-summary">
            {summary.map((s) => (
              <li key={s.memberId} data-testid="audit-member" data-member={s.memberName}>
                <strong>{s.memberName}</strong>
                <span class="hint">
                  {s.entries} {s.entries === 1 ? 'entry' : 'entries'}
                </span>
                <ul class="audit-summary-kinds">
                  {AUDIT_KINDS.filter((kind) => s.counts[kind] > 0).map((kind) => (
                    <li key={kind} data-kind={kind}>
                      {AUDIT_KIND_WORDS[kind]}: {s.counts[kind]}
                      {SUMMED_KINDS.has(kind) ? ` · ${money(s.amounts[kind])}` : ''}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}

      {days.map(([date, dayEntries]) => (
        <section key={date} class="audit-day" aria-labelledby={`audit-day-${date}`}>
          <h2 id={`audit-day-${date}`}>{dayLabel(date, locale)}</h2>
          <ul class="audit-list">
            {dayEntries.map((e, i) => (
              <li key={`${e.eventId}-${i}`} data-testid="audit-entry" data-kind={e.kind} data-member={e.memberName}>
                <div class="audit-line">
                  <span class={`audit-kind kind-${e.kind}`}>{AUDIT_KIND_WORDS[e.kind]}</span>
                  <span class="audit-member">
                    {e.memberName}
                    {e.memberRole && <small> · {ROLE_WORDS[e.memberRole]}</small>}
                  </span>
                  <span class="num audit-amount">{e.kind === 'pin-rejected' ? '' : money(e.amount)}</span>
                </div>
                <p class="audit-detail">{e.detail}</p>
                <p class="audit-meta">
                  {e.time.slice(0, 5)} · {locations.get(e.locationId) ?? e.locationId}
                  {e.receiptNo && <> · receipt {e.receiptNo}</>}
                  {e.approverName && e.kind !== 'approval' && <> · approved by {e.approverName}</>}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** The entries by business day, in the trail's (ledger) order. */
function groupByDay(entries: readonly AuditEntry[]): [string, AuditEntry[]][] {
  const days = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const day = days.get(entry.businessDate);
    if (day) day.push(entry);
    else days.set(entry.businessDate, [entry]);
  }
  return [...days];
}
