/**
 * A till for command tests: a device with its books, catalog and role. `run` asks a command; `act`
 * asks it and records what it returns the way AppContext.record does (a sale's body, made from the
 * receipt counter, gets the device's count of sales + 1, as the ledger writer gives it), so a test
 * can sell, then return, then void.
 */
import { expect } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { EventBody, LedgerEvent, ProductSnapshot } from '../../src/domain/events.ts';
import { barcodeKey } from '../../src/domain/gtin.ts';
import type { DeviceRole } from '../../src/domain/permissions.ts';
import type { Command, CommandContext, CommandResult, FieldError, ProductLookup, Recordable } from '../../src/app/commands/index.ts';
import { CURRENCY, Device } from '../domain/support/event-factory.ts';

export const FLOOR = { id: 'loc-1', name: 'Shop floor' };
export const BACK = { id: 'loc-2', name: 'Back room' };

/** A catalog over plain products, found by id, barcode (as GTIN-14) or SKU like the app's. */
export class TestCatalog implements ProductLookup {
  private readonly products = new Map<string, ProductSnapshot>();
  put(product: ProductSnapshot): void {
    this.products.set(product.id, product);
  }
  get(productId: string): ProductSnapshot | undefined {
    return this.products.get(productId);
  }
  byCode(code: string): ProductSnapshot | undefined {
    const key = barcodeKey(code);
    for (const p of this.products.values()) if (p.barcodes.some((b) => barcodeKey(b) === key) || p.sku.toUpperCase() === code.trim().toUpperCase()) return p;
    return undefined;
  }
}

export function product(id: string, overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return { id, name: `Product ${id}`, sku: `SKU-${id}`, barcodes: [], price: 1200, cost: 500, currency: CURRENCY, taxRateBp: 2000, unit: 'each', active: true, ...overrides };
}

let ids = 0;

export class Till {
  readonly device: Device;
  readonly books = new Books({ valuation: 'fifo', currency: CURRENCY });
  readonly catalog: TestCatalog;
  role: DeviceRole;
  locationId: string;
  booksLoaded = true;
  cashStep = 1;
  pricesIncludeTax = true;
  private sales = 0;

  constructor(deviceId: string, options: { role?: DeviceRole; locationId?: string; catalog?: TestCatalog; books?: Books } = {}) {
    this.role = options.role ?? 'staff';
    this.locationId = options.locationId ?? FLOOR.id;
    this.device = new Device(deviceId, this.locationId);
    this.catalog = options.catalog ?? new TestCatalog();
    if (options.books) this.books = options.books;
  }

  context(): CommandContext {
    return {
      books: this.booksLoaded ? this.books : null,
      role: this.role,
      deviceId: this.device.deviceId,
      storeId: 'store-1',
      locationId: this.locationId,
      settings: { currency: CURRENCY, pricesIncludeTax: this.pricesIncludeTax, cashStep: this.cashStep },
      locations: [FLOOR, BACK],
      catalog: this.catalog,
      now: 1_700_000_000_000,
      newId: () => `id-${++ids}`,
    };
  }

  run<Input>(command: Command<Input>, input: Input): CommandResult {
    return command.run(input, this.context());
  }

  /** Records one body as this device's next event and applies it to the books. */
  record(body: Recordable): LedgerEvent {
    const made = typeof body === 'function' ? body(++this.sales) : body;
    const event = this.device.event(made, { locationId: this.locationId });
    expect(this.books.apply(event).status).toBe('applied');
    if (event.kind === 'product-defined') this.catalog.put(event.product);
    if (event.kind === 'product-changed') {
      const current = this.catalog.get(event.productId);
      if (current) this.catalog.put({ ...current, ...event.changes });
    }
    return event;
  }

  /** Runs the command, expects it to accept, records its events. */
  act<Input>(command: Command<Input>, input: Input): LedgerEvent[] {
    const result = this.run(command, input);
    if (!result.ok) throw new Error(`${command.name} refused: ${JSON.stringify(result.errors)}`);
    return result.bodies.map((body) => this.record(body));
  }

  /** A product known to the catalog and the books, with `qty` on hand here at `cost` each. */
  stock(p: ProductSnapshot, qty: number): ProductSnapshot {
    this.record({ kind: 'product-defined', product: p });
    if (qty > 0) this.record({ kind: 'goods-received', supplier: 'Supplier', reference: 'DN', lines: [{ productId: p.id, qty, unitCost: p.cost }] });
    return p;
  }
}

/** The errors of a refused result (fails the test when it was accepted). */
export function errorsOf(result: CommandResult): FieldError[] {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.bodies.map((b) => (typeof b === 'function' ? b(0) : b)))}`);
  return result.errors;
}

/** The bodies of an accepted result, a sale's made with receipt counter `receiptCounter`. */
export function bodiesOf(result: CommandResult, receiptCounter = 1): EventBody[] {
  if (!result.ok) throw new Error(`expected bodies, got ${JSON.stringify(result.errors)}`);
  return result.bodies.map((b) => (typeof b === 'function' ? b(receiptCounter) : b));
}
