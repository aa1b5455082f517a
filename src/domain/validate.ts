/**
 * The boundary check for ledger events: everything that arrives from storage, the network or another
 * device goes through `parseEvent` before any projection sees it. A rejected event changes nothing.
 *
 * Errors name the field (`lines[0].qty`) and say what was wrong, so a sync log or a support person
 * can tell which device sent what. The parts, in validate/: patterns.ts (what a valid field looks
 * like, shared), schemas.ts (zod: the complete check), fast-paths.ts (hand-written checks for sales
 * and catalog imports), messages.ts (the error wording).
 *
 * Validation brings zod, so the app loads this module lazily (`import()` in src/db/ledger.ts).
 */
import type { ApplyResult, Books } from './books/index.ts';
import type { LedgerEvent, ProductSnapshot } from './events.ts';
import { fastGoodsReceived, fastProduct, fastProductsDefined, fastSale } from './validate/fast-paths.ts';
import { describeGenericIssue, formatIssues, newerSchemaError } from './validate/messages.ts';
import { ledgerEventSchema, productSnapshot } from './validate/schemas.ts';

export { ledgerEventSchema } from './validate/schemas.ts';
export { formatPath } from './validate/messages.ts';

/** `exact`: the event is exactly the input, nothing unknown dropped (see isExactCopy). */
export type ParseResult = { ok: true; event: LedgerEvent; exact: boolean } | { ok: false; error: string };

export function parseEvent(input: unknown): ParseResult {
  // Fast path for the event nearly every sync page is full of. It accepts only what the schema
  // accepts and builds the same output (same keys, same order, unknown keys dropped); anything it
  // does not vouch for goes through zod, which also writes the precise error.
  const fast = fastSale(input) ?? fastGoodsReceived(input) ?? fastProductsDefined(input);
  if (fast) return { ok: true, event: fast.event, exact: fast.exact };
  const versionError = newerSchemaError(input);
  if (versionError) return { ok: false, error: versionError };
  const result = ledgerEventSchema.safeParse(input, { error: describeGenericIssue });
  if (result.success) return { ok: true, event: result.data, exact: isExactCopy(input, result.data) };
  return { ok: false, error: formatIssues(result.error.issues) };
}

/**
 * Validates untrusted input, then applies it to `books`; a rejected event changes nothing. Here and
 * not a method of Books: the fold's code would then bring zod to every screen that shows the books
 * (issue 19), where it folds only events validated when they were stored.
 */
export function applyUnknown(books: Books, input: unknown): ApplyResult {
  const parsed = parseEvent(input);
  if (!parsed.ok) return { status: 'rejected', error: parsed.error };
  return books.apply(parsed.event);
}

/**
 * Whether `parsed` (parseEvent's output for `raw`) is exactly `raw`: the same keys at every level,
 * the same values. Validation keeps every value it accepts as it is (no defaults, no transforms),
 * but drops keys it does not know (from a newer app): a pull page is kept as the server sent it
 * only when nothing was dropped (src/sync/pull.ts), so what is stored is what was validated.
 */
export function isExactCopy(raw: unknown, parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return raw === parsed;
  if (typeof raw !== 'object' || raw === null) return false;
  if (Array.isArray(parsed)) {
    if (!Array.isArray(raw) || raw.length !== parsed.length) return false;
    for (let i = 0; i < parsed.length; i += 1) if (!isExactCopy(raw[i], parsed[i])) return false;
    return true;
  }
  if (Array.isArray(raw)) return false;
  const rawRecord = raw as Record<string, unknown>;
  const parsedRecord = parsed as Record<string, unknown>;
  let rawKeys = 0;
  for (const key in rawRecord) if (Object.hasOwn(rawRecord, key)) rawKeys += 1;
  let parsedKeys = 0;
  for (const key in parsedRecord) {
    if (!Object.hasOwn(parsedRecord, key)) continue;
    parsedKeys += 1;
    if (!Object.hasOwn(rawRecord, key) || !isExactCopy(rawRecord[key], parsedRecord[key])) return false;
  }
  return rawKeys === parsedKeys;
}

export type ProductParseResult = { ok: true; product: ProductSnapshot } | { ok: false; error: string };

/**
 * One product as `product-defined` and `products-defined` carry it (unknown fields dropped), e.g. a
 * row of a catalog import checked before any event is made. Errors name the field (`price: …`).
 */
export function parseProduct(input: unknown): ProductParseResult {
  const fast = fastProduct(input);
  if (fast) return { ok: true, product: fast };
  const result = productSnapshot.safeParse(input, { error: describeGenericIssue });
  if (result.success) return { ok: true, product: result.data };
  return { ok: false, error: formatIssues(result.error.issues) };
}
