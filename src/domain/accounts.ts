/**
 * The small chart of accounts the journal posts to. Codes are stable: they are stored in exports and
 * reports, so a code is never reused for another meaning.
 *
 * Debit-normal accounts (assets, expenses, contra-revenue) grow with debits; the others with credits.
 */
export const ACCOUNTS = {
  cash: { code: '1000', name: 'Cash', normal: 'debit' },
  cardClearing: { code: '1100', name: 'Card clearing', normal: 'debit' },
  inventory: { code: '1200', name: 'Inventory', normal: 'debit' },
  /** Goods sent by one location and not yet received by another, at the sender's cost. */
  inventoryInTransit: { code: '1210', name: 'Inventory in transit', normal: 'debit' },
  goodsReceivedNotInvoiced: { code: '2100', name: 'Goods received not invoiced', normal: 'credit' },
  salesTaxPayable: { code: '2200', name: 'Sales tax payable', normal: 'credit' },
  /** The counterpart of the opening physical count: the value the store started with. */
  openingBalanceEquity: { code: '3000', name: 'Opening balance equity', normal: 'credit' },
  revenue: { code: '4000', name: 'Revenue', normal: 'credit' },
  /** Contra-revenue: refunds excluding tax. */
  returns: { code: '4100', name: 'Returns', normal: 'debit' },
  cogs: { code: '5000', name: 'Cost of goods sold', normal: 'debit' },
  /** Counts, damage, theft, expiry, found stock and written-off returns. */
  inventoryShrinkage: { code: '5100', name: 'Inventory shrinkage and adjustments', normal: 'debit' },
  /** The drawer's counted cash minus the expected cash at the close of a shift (short = debit). */
  cashOverShort: { code: '5200', name: 'Cash over and short', normal: 'debit' },
} as const;

export type AccountKey = keyof typeof ACCOUNTS;
export type AccountCode = (typeof ACCOUNTS)[AccountKey]['code'];

export const ACCOUNT_KEYS = Object.keys(ACCOUNTS) as AccountKey[];

export function accountByCode(code: string): AccountKey | undefined {
  return ACCOUNT_KEYS.find((key) => ACCOUNTS[key].code === code);
}
