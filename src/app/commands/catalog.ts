/**
 * The catalog: a product defined (for a code the catalog lacks), a product changed (price, name,
 * codes…), and a whole list imported. All the owner's: the owner decides what is sold and at what
 * price. Codes are compared as GTIN-14, like the scanner; a digit-only code of GTIN length must
 * carry a correct check digit.
 */
import { MAX_CATEGORY, MAX_SUPPLIER, type EventBody, type Minor, type ProductSnapshot, type StockUnit } from '../../domain/events.ts';
import { groupProductsForEvents } from '../../domain/catalog-events.ts';
import { packQtyWords } from '../../domain/catalog-csv.ts';
import { barcodeKey, isValidGtin } from '../../domain/gtin.ts';
import { parseProduct } from '../../domain/validate.ts';
import { accept, defineCommand, isAmount, refuse, type CommandContext, type FieldError } from './command.ts';
import { isUnitCost } from './lines.ts';

export interface DefineProductInput {
  /** The barcode (or SKU) it is sold by: also its SKU. */
  code: string;
  name: string;
  /** Selling price, minor units per piece / kg / litre. */
  price: Minor;
  /** Cost, minor units per stock unit (per gram or millilitre for weighed products). */
  cost: number;
  taxRateBp: number;
  unit: StockUnit;
}

export const defineProduct = defineCommand<DefineProductInput>({
  name: 'define-product',
  records: ['product-defined'],
  permission: 'owner',
  action: 'create products',
  check(input, context) {
    const code = input.code.trim();
    const errors: FieldError[] = [];
    if (code === '') errors.push({ field: 'code', message: 'Enter the barcode or SKU the product is sold by.' });
    const codeProblem = code === '' ? undefined : barcodeProblem(code, context);
    if (codeProblem) errors.push({ field: 'code', message: codeProblem });
    errors.push(...productFieldErrors(input, context));
    if (errors.length > 0) return refuse(...errors);
    const product: ProductSnapshot = {
      id: `p-${context.newId()}`,
      name: input.name.trim(),
      sku: code,
      barcodes: [code],
      price: input.price,
      cost: input.cost,
      currency: context.settings.currency,
      taxRateBp: input.taxRateBp,
      unit: input.unit,
      active: true,
    };
    const parsed = parseProduct(product);
    if (!parsed.ok) return refuse({ message: `The product cannot be saved: ${parsed.error}.` });
    return accept({ kind: 'product-defined', product: parsed.product });
  },
});

export interface ChangeProductInput {
  productId: string;
  /** The fields as the form holds them; only those that differ from the catalog's are recorded. */
  changes: Partial<Omit<ProductSnapshot, 'id'>>;
}

/**
 * A product changed: only the fields that really differ go into the event (a form may send all it
 * shows), so a change made on two devices to different fields does not undo the other's. A sale
 * already rung up keeps its price: cart lines carry the unit price they were added at (cart.ts).
 */
export const changeProduct = defineCommand<ChangeProductInput>({
  name: 'change-product',
  records: ['product-changed'],
  permission: 'owner',
  action: 'change products or prices',
  check(input, context) {
    const current = context.catalog.get(input.productId);
    if (!current) return refuse({ field: 'productId', message: 'This product is not in the catalog on this device. Sync, then try again.' });
    const changes = changedFields(current, tidyChanges(input.changes));
    if (Object.keys(changes).length === 0) return refuse({ message: 'Nothing was changed: edit a field first.' });
    const next = { ...current, ...changes };
    const errors = productFieldErrors(next, context);
    if (changes.barcodes) errors.push(...barcodeListErrors(changes.barcodes, current, context));
    if (changes.currency !== undefined && changes.currency !== context.settings.currency) {
      errors.push({ field: 'currency', message: `Prices are in ${context.settings.currency}, the store's currency.` });
    }
    if (errors.length > 0) return refuse(...errors);
    const parsed = parseProduct(next);
    if (!parsed.ok) return refuse({ message: `The product cannot be saved: ${parsed.error}.` });
    return accept({ kind: 'product-changed', productId: current.id, changes });
  },
});

type ProductChanges = ChangeProductInput['changes'];

/** The name, category and codes as they are meant: without the spaces around them. */
function tidyChanges(changes: ProductChanges): ProductChanges {
  return {
    ...changes,
    ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
    // A category is kept as the owner means it, without stray spaces: " Bakery" is the Bakery chip.
    ...(changes.category === undefined ? {} : { category: changes.category.trim() }),
    // The supplier's name as purchase orders carry it: " Acme " is Acme.
    ...(changes.supplier === undefined ? {} : { supplier: changes.supplier.trim() }),
    ...(changes.barcodes === undefined ? {} : { barcodes: changes.barcodes.map((code) => code.trim()) }),
  };
}

/** The fields of `changes` whose value differs from the product's. */
function changedFields(product: ProductSnapshot, changes: ProductChanges): ProductChanges {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(product[field as keyof ProductSnapshot])) changed[field] = value;
  }
  return changed as ProductChanges;
}

/** Why a product's new list of codes cannot be saved: an empty code, one listed twice, a bad or taken one. */
function barcodeListErrors(codes: readonly string[], product: ProductSnapshot, context: CommandContext): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const code of codes) {
    if (code === '') {
      errors.push({ field: 'barcodes', message: 'A barcode is empty: type or scan the code, or remove it.' });
      continue;
    }
    const key = barcodeKey(code);
    const same = seen.get(key);
    if (same !== undefined) {
      errors.push({ field: 'barcodes', message: same === code ? `${code} is listed twice: remove one.` : `${code} and ${same} are the same code: remove one.` });
      continue;
    }
    seen.set(key, code);
    // A code the product already had stays valid, whatever it is (an import may have brought it).
    if (product.barcodes.some((own) => barcodeKey(own) === key)) continue;
    const problem = barcodeProblem(code, context, product.id);
    if (problem) errors.push({ field: 'barcodes', message: problem });
  }
  return errors;
}

type ProductFields = Pick<ProductSnapshot, 'name' | 'price' | 'cost' | 'taxRateBp' | 'unit' | 'category' | 'supplier' | 'packSize' | 'minOrderQty'>;

function productFieldErrors(product: ProductFields, context: CommandContext): FieldError[] {
  const errors: FieldError[] = [];
  if (product.category !== undefined && product.category.length > MAX_CATEGORY) {
    errors.push({ field: 'category', message: `Category: use at most ${MAX_CATEGORY} characters, a name that fits on a button.` });
  }
  if (product.supplier !== undefined && product.supplier.length > MAX_SUPPLIER) {
    errors.push({ field: 'supplier', message: `Supplier: use at most ${MAX_SUPPLIER} characters, the name as it is on the supplier’s invoices.` });
  }
  if (product.packSize !== undefined && !isPackQty(product.packSize)) {
    errors.push({ field: 'packSize', message: `Pack size: enter ${packQtyWords(product.unit)}, what one pack from the supplier holds.` });
  }
  if (product.minOrderQty !== undefined && !isPackQty(product.minOrderQty)) {
    errors.push({ field: 'minOrderQty', message: `Minimum order: enter ${packQtyWords(product.unit)}, the least the supplier sells of it.` });
  }
  if (product.name.trim() === '') errors.push({ field: 'name', message: 'Enter the product name.' });
  if (!isAmount(product.price)) errors.push({ field: 'price', message: `Price: enter an amount in ${context.settings.currency} of zero or more.` });
  if (!isUnitCost(product.cost)) errors.push({ field: 'cost', message: `Cost: enter an amount in ${context.settings.currency} of zero or more.` });
  if (!Number.isSafeInteger(product.taxRateBp) || product.taxRateBp < 0 || product.taxRateBp > 10_000) {
    errors.push({ field: 'taxRateBp', message: 'Choose a tax rate from 0 % to 100 %.' });
  }
  return errors;
}

/** The most a pack or a minimum order holds, in stock units, as the event schema allows. */
const MAX_PACK_QTY = 1_000_000_000;

/** A pack size or minimum order: whole stock units (pieces, grams, millilitres), at least one. */
function isPackQty(qty: number): boolean {
  return Number.isSafeInteger(qty) && qty >= 1 && qty <= MAX_PACK_QTY;
}

/** Why `code` cannot be a new code of a product (`ownId` when changing one); undefined when it can. */
function barcodeProblem(code: string, context: CommandContext, ownId?: string): string | undefined {
  if (/^\d+$/.test(code) && [8, 12, 13, 14].includes(code.length) && !isValidGtin(code)) {
    return `${code} has a wrong check digit: scan it again, or check the digits.`;
  }
  const owner = context.catalog.byCode(code);
  return owner !== undefined && owner.id !== ownId ? `${code} is already the code of ${owner.name}.` : undefined;
}

export interface ImportCatalogInput {
  /** The file's products, as parsed (e.g. by parseCatalogCsv). */
  products: readonly ProductSnapshot[];
}

/** At most this many problems are listed: a file with thousands of bad rows needs fixing at its source. */
export const MAX_IMPORT_PROBLEMS = 10;

export interface ImportCheck {
  /** The products as the schema reads them (unknown fields dropped): what is stored. */
  checked: ProductSnapshot[];
  /** "product 3: …", at most MAX_IMPORT_PROBLEMS. */
  problems: { index: number; message: string }[];
}

/**
 * Checks a whole import before anything is written: each product against the event schema; that no
 * id, SKU or barcode appears twice in it; that no id is in the catalog already.
 */
export function checkImport(products: readonly ProductSnapshot[], alreadyStored: (id: string) => boolean): ImportCheck {
  const problems: ImportCheck['problems'] = [];
  const checked: ProductSnapshot[] = [];
  const ids = new Set<string>();
  const skus = new Set<string>();
  const codes = new Map<string, string>();
  const note = (index: number, text: string) => {
    if (problems.length < MAX_IMPORT_PROBLEMS) problems.push({ index, message: `product ${index + 1}: ${text}` });
  };
  for (let i = 0; i < products.length; i++) {
    const parsed = parseProduct(products[i]);
    if (!parsed.ok) {
      note(i, parsed.error);
      continue;
    }
    const product = parsed.product;
    checked.push(product);
    if (ids.has(product.id)) note(i, `id "${product.id}" appears twice`);
    else if (alreadyStored(product.id)) note(i, `id "${product.id}" is already in the catalog`);
    ids.add(product.id);
    const sku = product.sku.trim().toUpperCase();
    if (skus.has(sku)) note(i, `SKU "${product.sku}" appears twice`);
    skus.add(sku);
    for (const code of product.barcodes) {
      if (/^\d+$/.test(code) && [8, 12, 13, 14].includes(code.length) && !isValidGtin(code)) note(i, `barcode ${code} has a wrong check digit`);
      const key = barcodeKey(code);
      const owner = codes.get(key);
      if (owner !== undefined && owner !== product.id) note(i, `barcode ${code} is also on product "${owner}"`);
      codes.set(key, product.id);
    }
  }
  return { checked, problems };
}

/**
 * A catalog import: `products-defined` events of up to 1,000 products each (catalog-events.ts). The
 * database writes them in batches of its own (db/catalog-import.ts) with the same checks.
 */
export const importCatalog = defineCommand<ImportCatalogInput>({
  name: 'import-catalog',
  records: ['products-defined'],
  permission: 'owner',
  action: 'create products',
  check(input, context) {
    if (input.products.length === 0) return refuse({ field: 'products', message: 'The file has no product rows.' });
    const { checked, problems } = checkImport(input.products, (id) => context.catalog.get(id) !== undefined);
    if (problems.length > 0) {
      return refuse(...problems.map((p) => ({ field: `products.${p.index}`, message: `Nothing was imported: ${p.message}. Fix the file and import it again.` })));
    }
    const bodies: EventBody[] = groupProductsForEvents(checked).map((products) => ({ kind: 'products-defined', products }));
    return accept(...bodies);
  },
});
