/**
 * The demo store's catalog and seed (demo-store.ts has its id and locations): a small grocery with
 * realistic products, each with a valid barcode and opening stock. The seed events have fixed ids,
 * so every device and the server that load it hold the very same events and sync never doubles them.
 */
import type { EventEnvelope, LedgerEvent, ProductSnapshot, StockUnit } from './events.ts';
import { EVENT_SCHEMA_VERSION, QTY_PER_PRICE_UNIT } from './events.ts';
import { gtinCheckDigit } from './gtin.ts';
import { DEMO_CURRENCY, DEMO_LOCATIONS, DEMO_SEED_DEVICE, DEMO_STORE_ID } from './demo-store.ts';

const FOOD = 700;
const STANDARD = 1900;

// name, price (cents, tax included; per kg for weighed goods), cost (cents, excl. tax; per kg for
// weighed goods), tax rate, unit, on hand floor/back (grams for weighed goods)
type Row = [string, number, number, number, StockUnit, number, number];
const ROWS: Row[] = [
  ['Whole milk 1 l', 119, 71, FOOD, 'each', 48, 96],
  ['Semi-skimmed milk 1 l', 109, 65, FOOD, 'each', 40, 80],
  ['Oat drink 1 l', 219, 120, STANDARD, 'each', 18, 36],
  ['Free-range eggs, 10', 329, 210, FOOD, 'each', 30, 60],
  ['Salted butter 250 g', 249, 165, FOOD, 'each', 24, 48],
  ['Greek yoghurt 500 g', 189, 110, FOOD, 'each', 20, 40],
  ['Mature cheddar 200 g', 299, 180, FOOD, 'each', 16, 32],
  ['Sourdough loaf 800 g', 399, 170, FOOD, 'each', 12, 0],
  ['Wholemeal toast bread', 179, 90, FOOD, 'each', 20, 20],
  ['Butter croissant', 89, 35, FOOD, 'each', 30, 0],
  ['Bananas 1 kg', 149, 85, FOOD, 'kg', 25_000, 40_000],
  ['Braeburn apples 1 kg', 279, 150, FOOD, 'kg', 20_000, 30_000],
  ['Gouda, by weight', 1499, 880, FOOD, 'kg', 6_000, 10_000],
  ['Cherry tomatoes 250 g', 199, 110, FOOD, 'each', 20, 30],
  ['Cucumber', 69, 32, FOOD, 'each', 25, 25],
  ['Red peppers, 3 pack', 229, 130, FOOD, 'each', 15, 30],
  ['Carrots 1 kg bag', 119, 55, FOOD, 'each', 18, 36],
  ['Potatoes 2.5 kg', 349, 190, FOOD, 'each', 10, 30],
  ['Spaghetti 500 g', 129, 60, FOOD, 'each', 40, 80],
  ['Penne rigate 500 g', 129, 60, FOOD, 'each', 35, 70],
  ['Basmati rice 1 kg', 299, 170, FOOD, 'each', 20, 40],
  ['Chopped tomatoes 400 g', 79, 38, FOOD, 'each', 48, 96],
  ['Red lentils 500 g', 189, 95, FOOD, 'each', 15, 30],
  ['Chickpeas 400 g', 89, 42, FOOD, 'each', 30, 60],
  ['Extra virgin olive oil 500 ml', 699, 420, FOOD, 'each', 12, 24],
  ['Sunflower oil 1 l', 249, 150, FOOD, 'each', 12, 24],
  ['Plain flour 1 kg', 99, 48, FOOD, 'each', 20, 40],
  ['Granulated sugar 1 kg', 119, 62, FOOD, 'each', 20, 40],
  ['Sea salt 500 g', 79, 30, FOOD, 'each', 15, 15],
  ['Rolled oats 500 g', 149, 70, FOOD, 'each', 20, 40],
  ['Cornflakes 375 g', 279, 160, FOOD, 'each', 14, 28],
  ['Ground coffee 250 g', 549, 340, FOOD, 'each', 18, 36],
  ['Coffee beans 1 kg', 1599, 1050, FOOD, 'each', 6, 12],
  ['English breakfast tea, 80 bags', 349, 190, FOOD, 'each', 12, 24],
  ['Dark chocolate 70 % 100 g', 199, 105, FOOD, 'each', 30, 60],
  ['Milk chocolate bar 100 g', 129, 65, FOOD, 'each', 40, 80],
  ['Salted crisps 150 g', 179, 85, FOOD, 'each', 24, 48],
  ['Salted peanuts 200 g', 199, 100, FOOD, 'each', 16, 32],
  ['Still water 1.5 l', 49, 19, STANDARD, 'each', 60, 120],
  ['Sparkling water 1.5 l', 59, 22, STANDARD, 'each', 48, 96],
  ['Orange juice 1 l', 229, 130, STANDARD, 'each', 20, 40],
  ['Cola 330 ml can', 99, 45, STANDARD, 'each', 72, 144],
  ['Lager 500 ml can', 139, 70, STANDARD, 'each', 48, 96],
  ['Red wine, Rioja 750 ml', 899, 520, STANDARD, 'each', 12, 24],
  ['Dishwashing liquid 500 ml', 199, 95, STANDARD, 'each', 12, 24],
  ['Laundry detergent 1.5 l', 799, 480, STANDARD, 'each', 8, 16],
  ['Toilet paper, 8 rolls', 449, 270, STANDARD, 'each', 10, 30],
  ['Kitchen towels, 2 rolls', 259, 140, STANDARD, 'each', 10, 20],
  ['Toothpaste 75 ml', 189, 90, STANDARD, 'each', 15, 30],
  ['Shampoo 300 ml', 349, 180, STANDARD, 'each', 10, 20],
  ['Hand soap 250 ml', 159, 70, STANDARD, 'each', 12, 24],
  ['AA batteries, 4 pack', 599, 310, STANDARD, 'each', 10, 20],
  ['Tealight candles, 30', 399, 190, STANDARD, 'each', 8, 16],
  ['Bin bags 35 l, 20', 279, 130, STANDARD, 'each', 10, 20],
  ['Cat food pouches, 12', 649, 390, STANDARD, 'each', 8, 16],
  ['Dog biscuits 1 kg', 499, 290, STANDARD, 'each', 6, 12],
  ['Fresh basil pot', 199, 90, FOOD, 'each', 8, 0],
  ['Cut tulips, bunch of 10', 599, 300, STANDARD, 'each', 10, 0],
];

/** EAN-13 under a German prefix, or a UPC-A for the few US imports: fictitious but with valid check digits. */
function demoBarcode(index: number): string {
  if (index % 10 === 9) {
    const data = `0${String(41000 + index * 37).padStart(5, '0')}${String(10000 + index * 7).padStart(5, '0')}`;
    return data + String(gtinCheckDigit(data));
  }
  const data = `400${String(5001000 + index * 1113).padStart(9, '0')}`;
  return data + String(gtinCheckDigit(data));
}

function slug(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 20);
}

/**
 * Weighed goods also carry the item key of their scale labels (GS1 prefix 28, weight in grams;
 * see DEFAULT_VARIABLE_MEASURE_RULES), e.g. 2800013 for the first weighed product.
 */
function scaleItemKey(index: number): string {
  const data = `28${String(index).padStart(5, '0')}00000`;
  return data + String(gtinCheckDigit(data));
}

/** The products as first defined, before the owner sorted them into categories (the seed's first events). */
const DEFINED_PRODUCTS: ProductSnapshot[] = ROWS.map(([name, price, cost, taxRateBp, unit], i) => ({
  id: `demo-p${String(i + 1).padStart(3, '0')}`,
  name,
  sku: `${slug(name)}-${String(i + 1).padStart(3, '0')}`,
  barcodes: unit === 'each' ? [demoBarcode(i)] : [demoBarcode(i), scaleItemKey(i + 1)],
  price,
  cost: costPerStockUnit(cost, unit),
  currency: DEMO_CURRENCY,
  taxRateBp,
  unit,
  active: true,
}));

/** The Sell grid's chips in the demo: each category's products, by name (names as in ROWS). */
const CATEGORIES: Record<string, readonly string[]> = {
  Dairy: ['Whole milk 1 l', 'Semi-skimmed milk 1 l', 'Oat drink 1 l', 'Free-range eggs, 10', 'Salted butter 250 g', 'Greek yoghurt 500 g', 'Mature cheddar 200 g', 'Gouda, by weight'],
  Bakery: ['Sourdough loaf 800 g', 'Wholemeal toast bread', 'Butter croissant'],
  'Fruit & veg': ['Bananas 1 kg', 'Braeburn apples 1 kg', 'Cherry tomatoes 250 g', 'Cucumber', 'Red peppers, 3 pack', 'Carrots 1 kg bag', 'Potatoes 2.5 kg', 'Fresh basil pot'],
  Drinks: ['Still water 1.5 l', 'Sparkling water 1.5 l', 'Orange juice 1 l', 'Cola 330 ml can', 'Lager 500 ml can', 'Red wine, Rioja 750 ml', 'Ground coffee 250 g', 'Coffee beans 1 kg', 'English breakfast tea, 80 bags'],
  Snacks: ['Dark chocolate 70 % 100 g', 'Milk chocolate bar 100 g', 'Salted crisps 150 g', 'Salted peanuts 200 g'],
  Household: ['Dishwashing liquid 500 ml', 'Laundry detergent 1.5 l', 'Toilet paper, 8 rolls', 'Kitchen towels, 2 rolls', 'Bin bags 35 l, 20', 'AA batteries, 4 pack', 'Tealight candles, 30'],
  Flowers: ['Cut tulips, bunch of 10'],
};

/** What a small grocery rings up most without a barcode to scan: loose bakery, fruit, flowers. */
const FAVOURITES: readonly string[] = ['Butter croissant', 'Sourdough loaf 800 g', 'Bananas 1 kg', 'Braeburn apples 1 kg', 'Whole milk 1 l', 'Fresh basil pot', 'Cut tulips, bunch of 10'];

/** Each product's category and favourite flag, as the owner's `product-changed` would set them. */
function demoArrangement(product: ProductSnapshot): { category?: string; favourite?: boolean } {
  const category = Object.keys(CATEGORIES).find((name) => CATEGORIES[name]?.includes(product.name));
  return { ...(category === undefined ? {} : { category }), ...(FAVOURITES.includes(product.name) ? { favourite: true } : {}) };
}

/** The demo catalog as it stands after the seed: the products with their categories and favourites. */
export const DEMO_PRODUCTS: ProductSnapshot[] = DEFINED_PRODUCTS.map((product) => ({ ...product, ...demoArrangement(product) }));

/** Costs are kept per stock unit: per gram for goods priced per kg. */
function costPerStockUnit(cost: number, unit: StockUnit): number {
  return cost / QTY_PER_PRICE_UNIT[unit];
}

/** A fixed UUIDv7 per seed event: time 0 (1970), so seed events sort before anything real. */
function seedId(n: number): string {
  return `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

function seedEnvelope(n: number, locationId: string): EventEnvelope {
  return {
    id: seedId(n),
    schema: EVENT_SCHEMA_VERSION,
    storeId: DEMO_STORE_ID,
    locationId,
    deviceId: DEMO_SEED_DEVICE,
    seq: n,
    hlc: `${String(n).padStart(15, '0')}-000000-${DEMO_SEED_DEVICE}`,
    recordedAt: '2026-01-01T08:00:00.000Z',
    userId: 'owner',
    currency: DEMO_CURRENCY,
  };
}

/**
 * The demo store as ledger events: one product definition per product, then the opening count, then
 * the categories and favourites. Those came later (issue 14) as events of their own, after the
 * others, so the earlier seed events keep their content: a server or device seeded before holds
 * the very same events under those ids and just gains the new ones.
 */
export function demoSeedEvents(): LedgerEvent[] {
  const definitions: LedgerEvent[] = DEFINED_PRODUCTS.map((product, i) => ({
    ...seedEnvelope(i + 1, DEMO_LOCATIONS[0].id),
    kind: 'product-defined',
    product,
  }));
  const openings: LedgerEvent[] = DEMO_LOCATIONS.map((location, l) => ({
    ...seedEnvelope(DEMO_PRODUCTS.length + 1 + l, location.id),
    kind: 'opening-balance',
    lines: ROWS.map((row, i) => ({ productId: DEMO_PRODUCTS[i]?.id ?? '', qty: l === 0 ? row[5] : row[6], unitCost: costPerStockUnit(row[2], row[4]) })).filter(
      (line) => line.qty > 0,
    ),
  }));
  const arranged = DEFINED_PRODUCTS.map((product) => ({ product, changes: demoArrangement(product) })).filter(({ changes }) => Object.keys(changes).length > 0);
  const arrangements: LedgerEvent[] = arranged.map(({ product, changes }, i) => ({
    ...seedEnvelope(DEFINED_PRODUCTS.length + DEMO_LOCATIONS.length + 1 + i, DEMO_LOCATIONS[0].id),
    kind: 'product-changed',
    productId: product.id,
    changes,
  }));
  return [...definitions, ...openings, ...arrangements];
}
