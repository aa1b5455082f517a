/**
 * The journal: the balanced double-entry lines each event posts, the trial balance and T-accounts.
 *
 * Derived when asked for from the events and what their entries did to the stock (the books'
 * `entryOutcomesOf`), so it always matches the stock projection and never needs patching; O(events).
 * It sits above the books and the shifts: a shift's close posts the cash difference of its report.
 * Account codes are in accounts.ts.
 */
import { ACCOUNTS, type AccountKey } from './accounts.ts';
import { assertNever } from './assert-never.ts';
import type { Books, EntryOutcome } from './books/index.ts';
import type { EventOf, LedgerEvent } from './events.ts';
import { refundTotal } from './refunds.ts';
import { closingDifference } from './shifts.ts';

export interface JournalLine {
  account: AccountKey;
  code: string;
  debit: number;
  credit: number;
  productId?: string;
  locationId?: string;
}

export interface JournalEntry {
  eventId: string;
  kind: LedgerEvent['kind'];
  hlc: string;
  lines: JournalLine[];
}

export interface TrialBalanceRow {
  account: AccountKey;
  code: string;
  name: string;
  debit: number;
  credit: number;
  /** Debit minus credit. */
  balance: number;
}

export interface TrialBalance {
  rows: TrialBalanceRow[];
  totalDebit: number;
  totalCredit: number;
}

export interface TAccount {
  account: AccountKey;
  code: string;
  name: string;
  debits: { eventId: string; amount: number }[];
  credits: { eventId: string; amount: number }[];
  /** Debit minus credit. */
  balance: number;
}

/** Every event's journal entry in ledger order, leaving out events that post nothing. */
export function journalEntries(books: Books): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const event of books.events()) {
    const entry = entryOf(books, event);
    if (entry.lines.length > 0) entries.push(entry);
  }
  return entries;
}

/** The balanced double-entry lines an event posts (debits equal credits); undefined for an unknown id. */
export function journalEntryOf(books: Books, eventId: string): JournalEntry | undefined {
  const event = books.getEvent(eventId);
  return event ? entryOf(books, event) : undefined;
}

export function trialBalance(books: Books): TrialBalance {
  const sums = new Map<AccountKey, { debit: number; credit: number }>();
  for (const entry of journalEntries(books)) {
    for (const line of entry.lines) {
      const sum = sums.get(line.account) ?? { debit: 0, credit: 0 };
      sum.debit += line.debit;
      sum.credit += line.credit;
      sums.set(line.account, sum);
    }
  }
  const rows = (Object.keys(ACCOUNTS) as AccountKey[])
    .filter((account) => sums.has(account))
    .map((account) => {
      const sum = sums.get(account) ?? { debit: 0, credit: 0 };
      const { code, name } = ACCOUNTS[account];
      return { account, code, name, debit: sum.debit, credit: sum.credit, balance: sum.debit - sum.credit };
    });
  return {
    rows,
    totalDebit: rows.reduce((s, r) => s + r.debit, 0),
    totalCredit: rows.reduce((s, r) => s + r.credit, 0),
  };
}

/** Debit minus credit of one account. */
export function balanceOf(books: Books, account: AccountKey): number {
  return trialBalance(books).rows.find((r) => r.account === account)?.balance ?? 0;
}

export function tAccount(books: Books, account: AccountKey): TAccount {
  const debits: TAccount['debits'] = [];
  const credits: TAccount['credits'] = [];
  for (const entry of journalEntries(books)) {
    for (const line of entry.lines) {
      if (line.account !== account) continue;
      if (line.debit > 0) debits.push({ eventId: entry.eventId, amount: line.debit });
      if (line.credit > 0) credits.push({ eventId: entry.eventId, amount: line.credit });
    }
  }
  const { code, name } = ACCOUNTS[account];
  const balance = debits.reduce((s, d) => s + d.amount, 0) - credits.reduce((s, c) => s + c.amount, 0);
  return { account, code, name, debits, credits, balance };
}

type Post = (account: AccountKey, amount: number, productId?: string, locationId?: string) => void;

function entryOf(books: Books, event: LedgerEvent): JournalEntry {
  const lines: JournalLine[] = [];
  const post: Post = (account, amount, productId, locationId) => {
    if (amount === 0) return;
    const line: JournalLine = {
      account,
      code: ACCOUNTS[account].code,
      debit: amount > 0 ? amount : 0,
      credit: amount < 0 ? -amount : 0,
    };
    if (productId !== undefined) line.productId = productId;
    if (locationId !== undefined) line.locationId = locationId;
    lines.push(line);
  };
  postMoney(books, event, post);
  for (const outcome of books.entryOutcomesOf(event.id)) postCost(outcome, post);
  return { eventId: event.id, kind: event.kind, hlc: event.hlc, lines };
}

/** The money side: tenders, revenue, tax, refunds, and a shift's cash difference. */
function postMoney(books: Books, event: LedgerEvent, post: Post): void {
  if (event.kind === 'sale') {
    postSaleMoney(event, 1, post);
  } else if (event.kind === 'sale-voided') {
    const sale = books.getEvent(event.saleId);
    if (sale?.kind === 'sale' && books.isEffectiveVoid(event)) postSaleMoney(sale, -1, post);
  } else if (event.kind === 'return') {
    const refund = refundTotal(event.lines);
    const tax = event.lines.reduce((sum, l) => sum + l.tax, 0);
    post('returns', refund - tax);
    post('salesTaxPayable', tax);
    // A cash refund is rounded to the drawer's coins; the difference is cash given up or kept.
    const rounding = event.cashRounding ?? 0;
    post(event.refundMethod === 'cash' ? 'cash' : 'cardClearing', -(refund + rounding));
    post('cashOverShort', rounding);
  } else if (event.kind === 'shift-closed') {
    // Drawer counted against expected: the difference is real cash gained or lost (shifts.ts).
    const difference = closingDifference(books, event) ?? 0;
    post('cash', difference);
    post('cashOverShort', -difference);
  }
}

function postSaleMoney(sale: EventOf<'sale'>, sign: 1 | -1, post: Post): void {
  let cash = 0;
  let card = 0;
  for (const tender of sale.tenders) {
    if (tender.method === 'cash') cash += tender.amount;
    else card += tender.amount;
  }
  post('cash', sign * cash);
  post('cardClearing', sign * card);
  post('revenue', -sign * sale.totals.net);
  post('salesTaxPayable', -sign * sale.totals.tax);
  // The cash tender is rounded to the drawer's coins; the difference is cash gained or given up.
  post('cashOverShort', -sign * (sale.cashRounding ?? 0));
}


/** The cost side of one entry; each event's entries together balance. */
function postCost(outcome: EntryOutcome, post: Post): void {
  const { productId, placeId } = outcome;
  const p = (account: AccountKey, amount: number): void => post(account, amount, productId, placeId);
  const stockAccount: AccountKey = outcome.transit ? 'inventoryInTransit' : 'inventory';
  // Incoming entries: the stock account takes the provisional value of any shortfall filled plus the
  // rest at the incoming cost; the difference for the filled units is a COGS correction.
  const bringIn = (source: AccountKey | undefined): void => {
    p(stockAccount, outcome.value);
    p('cogs', outcome.correction);
    if (source) p(source, -outcome.amount);
  };
  const role = outcome.role;
  switch (role) {
    case 'opening':
      return bringIn('openingBalanceEquity');
    case 'receipt':
      return bringIn('goodsReceivedNotInvoiced');
    case 'void':
    case 'return-restock':
      return bringIn('cogs');
    case 'dispatch':
    case 'transfer-in':
      // The counterpart is the sender's (or the transit's) credit in the same event.
      return bringIn(undefined);
    case 'sale':
      p('cogs', outcome.amount);
      return p(stockAccount, -outcome.amount);
    case 'transfer-out':
    case 'arrival':
      return p(stockAccount, -outcome.amount);
    case 'return-write-off':
      p('inventoryShrinkage', outcome.amount);
      return p('cogs', -outcome.amount);
    case 'count':
    case 'adjustment':
      if (outcome.qty > 0) return bringIn('inventoryShrinkage');
      p('inventoryShrinkage', outcome.amount);
      return p(stockAccount, -outcome.amount);
    default:
      return assertNever(role);
  }
}
