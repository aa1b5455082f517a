/**
 * A large, realistic, deterministic catalog for benchmarks: grocery and household names built from
 * brand × product × variant × pack size, EAN-13 barcodes under real GS1 country prefixes (fictitious
 * numbers, correct check digits), one product in ten also carrying a UPC-A (a US import), a few
 * products sold by weight. Pure (no DOM, no Node), so the browser page and Node tests share it.
 */
import type { ProductSnapshot, StockUnit } from '../../src/domain/events.ts';
import { gtinCheckDigit } from '../../src/domain/gtin.ts';
import { seededRandom } from '../../tests/seeded-random.ts';

const BRANDS = [
  'Hillcrest', 'Nordhof', 'Bella Terra', 'Green Valley', 'Maison Dubois', 'Alpenquell', 'Sunfield', 'Oak & Barrel',
  'Casa Verde', 'Northern Mill', 'Blue Harbour', 'Golden Acre', 'Riverside', 'Little Orchard', 'Kuhlmann', 'Stonebridge',
  'Fjordland', 'La Cortina', 'Brightwell', 'Meadowsweet', 'Van Dijk', 'Old Forge', 'Santa Rosa', 'Highland Farm',
  'Seabreeze', 'Morgenrot', 'Cedar Lane', 'El Sol', 'Whitcombe', 'Bergmann', 'Clearwater', 'Redwood',
];

// product, base price (cents), tax (bp), unit, sizes
type Kind = [string, number, number, StockUnit, string[]];
const FOOD = 700;
const STANDARD = 1900;
const KINDS: Kind[] = [
  ['whole milk', 119, FOOD, 'each', ['500 ml', '1 l', '2 l']],
  ['oat drink', 219, STANDARD, 'each', ['1 l']],
  ['greek yoghurt', 189, FOOD, 'each', ['150 g', '500 g', '1 kg']],
  ['mature cheddar', 299, FOOD, 'each', ['200 g', '400 g']],
  ['salted butter', 249, FOOD, 'each', ['250 g', '500 g']],
  ['free-range eggs', 329, FOOD, 'each', ['6', '10', '12']],
  ['sourdough loaf', 399, FOOD, 'each', ['500 g', '800 g']],
  ['spaghetti', 129, FOOD, 'each', ['500 g', '1 kg']],
  ['basmati rice', 299, FOOD, 'each', ['500 g', '1 kg', '5 kg']],
  ['chopped tomatoes', 79, FOOD, 'each', ['400 g', '3 x 400 g']],
  ['olive oil', 699, FOOD, 'each', ['500 ml', '750 ml', '1 l']],
  ['ground coffee', 549, FOOD, 'each', ['250 g', '500 g']],
  ['green tea', 249, FOOD, 'each', ['20 bags', '40 bags']],
  ['dark chocolate', 199, FOOD, 'each', ['100 g', '200 g']],
  ['salted crisps', 179, FOOD, 'each', ['40 g', '150 g', '200 g']],
  ['granola', 349, FOOD, 'each', ['375 g', '750 g']],
  ['sparkling water', 59, STANDARD, 'each', ['500 ml', '1.5 l', '6 x 1.5 l']],
  ['orange juice', 229, STANDARD, 'each', ['1 l', '1.5 l']],
  ['lager', 139, STANDARD, 'each', ['330 ml', '500 ml', '6 x 330 ml']],
  ['red wine', 899, STANDARD, 'each', ['750 ml']],
  ['dishwashing liquid', 199, STANDARD, 'each', ['500 ml', '1 l']],
  ['laundry detergent', 799, STANDARD, 'each', ['1.5 l', '3 l']],
  ['toothpaste', 189, STANDARD, 'each', ['75 ml', '2 x 75 ml']],
  ['shampoo', 349, STANDARD, 'each', ['250 ml', '500 ml']],
  ['cat food', 649, STANDARD, 'each', ['12 x 85 g', '2 kg']],
  ['AA batteries', 599, STANDARD, 'each', ['4 pack', '8 pack']],
  ['bananas', 149, FOOD, 'kg', ['loose']],
  ['apples', 279, FOOD, 'kg', ['loose']],
  ['gouda', 1499, FOOD, 'kg', ['by weight']],
  ['tomatoes', 329, FOOD, 'kg', ['loose']],
];
const VARIANTS = ['', 'organic', 'classic', 'light', 'extra', 'family pack', 'original', 'premium', 'value', 'bio', 'reduced salt', 'smoked'];

/** GS1 prefixes of real member organisations (Germany, UK, France, Italy, Spain, NL, BE, CH, AT). 400 is left to the demo store. */
const PREFIXES = ['401', '405', '409', '426', '500', '501', '506', '300', '301', '340', '376', '800', '803', '840', '841', '871', '873', '540', '760', '900'];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** EAN-13 number `i`: prefix by i, a 9-digit body that is a bijection of i (7919 is coprime to 10^9). */
export function ean13(i: number): string {
  const prefix = PREFIXES[i % PREFIXES.length] as string;
  const body = String((Math.floor(i / PREFIXES.length) * 7919 + 104_729) % 1_000_000_000).padStart(9, '0');
  const data = prefix + body;
  return data + String(gtinCheckDigit(data));
}

/** UPC-A (number system 0) number `i`. */
export function upcA(i: number): string {
  const data = `0${String((i * 4513 + 20_011) % 10_000_000_000).padStart(10, '0')}`;
  return data + String(gtinCheckDigit(data));
}

export function makeCatalog(count: number, seed = 42, currency = 'EUR'): ProductSnapshot[] {
  const random = seededRandom(seed);
  const products: ProductSnapshot[] = new Array<ProductSnapshot>(count);
  for (let i = 0; i < count; i++) {
    const brand = BRANDS[Math.floor(random() * BRANDS.length)] as string;
    const [kind, basePrice, taxRateBp, unit, sizes] = KINDS[Math.floor(random() * KINDS.length)] as Kind;
    const variant = VARIANTS[Math.floor(random() * VARIANTS.length)] as string;
    const size = sizes[Math.floor(random() * sizes.length)] as string;
    const name = `${brand} ${variant ? `${variant} ` : ''}${kind} ${size}`;
    const price = Math.max(19, Math.round(basePrice * (0.6 + random() * 1.2)));
    const barcodes = [ean13(i)];
    if (i % 10 === 7) barcodes.push(upcA(i));
    products[i] = {
      id: `cat-${String(i + 1).padStart(6, '0')}`,
      name: capitalise(name),
      sku: `${brand.replace(/[^A-Za-z]/g, '').slice(0, 4).toUpperCase()}-${String(i + 1).padStart(6, '0')}`,
      barcodes,
      price,
      cost: Math.round(price * (0.45 + random() * 0.25)),
      currency,
      taxRateBp,
      unit,
      active: true,
    };
  }
  return products;
}
