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
import type { LedgerEvent, ProductSnapshot } from './events.ts';
import { fastProduct, fastProductsDefined, fastSale } from './validate/fast-paths.ts';
import { describeGenericIssue, formatIssues, newerSchemaError } from './validate/messages.ts';
import { ledgerEventSchema, productSnapshot } from './validate/schemas.ts';

export { ledgerEventSchema } from './validate/schemas.ts';
export { formatPath } from './validate/messages.ts';

export type ParseResult = { ok: true; event: LedgerEvent } | { ok: false; error: string };

export function parseEvent(input: unknown): ParseResult {
  // Fast path for the event nearly every sync page is full of. It accepts only what the schema
  // accepts and builds the same output (same keys, same order, unknown keys dropped); anything it
  // does not vouch for goes through zod, which also writes the precise error.
  const fast = fastSale(input) ?? fastProductsDefined(input);
  if (fast) return { ok: true, event: fast };
  const versionError = newerSchemaError(input);
  if (versionError) return { ok: false, error: versionError };
  const result = ledgerEventSchema.safeParse(input, { error: describeGenericIssue });
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: formatIssues(result.error.issues) };
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
