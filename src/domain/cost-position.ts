/**
 * The stock of one product at one place (a location, or goods in transit) with its cost: FIFO layers
 * or a single moving-average layer, plus the shortfall when more was sold than was there.
 *
 * Rounding (golden README): unit rates keep full precision; each movement's value is rounded to whole
 * minor units, half away from zero. Every layer carries its remaining value in whole minor units and
 * a movement that empties a layer takes exactly that value, so the sum of the movements posted to the
 * Inventory account always equals the sum of the layers' values, to the cent.
 *
 * Negative stock (golden README): selling more than is on hand values the shortfall at the last known
 * cost (the newest layer's cost, or the catalog cost when nothing was ever received) and keeps it as a
 * negative position. Anything that later comes in fills that position first; the difference between
 * the incoming cost and the provisional cost of the units it fills is returned as a COGS correction,
 * posted at that moment rather than by editing old entries.
 *
 * This is a mutable object, unlike the rest of the domain: a full fold of a million events must not
 * copy a layer list per movement. It never escapes the books; queries get copies.
 */
import { roundHalfAwayFromZero } from './money.ts';

export type ValuationMethod = 'fifo' | 'average';

export interface CostLayer {
  qty: number;
  /** Full-precision rate, minor units per stock unit. */
  unitCost: number;
  /** Remaining value in whole minor units. */
  value: number;
}

/** Below this many consumed layers the head index is kept; above it the array is compacted. */
const COMPACT_AFTER = 32;

/**
 * Layers are kept flat, `LAYER` numbers each (quantity, unit cost, remaining value), in one array of
 * doubles. Issue 4: one object per layer was a separate allocation per receipt and one more likely
 * cache miss per sale among 10,000 positions; the flat array keeps the oldest layer beside the next.
 */
const LAYER = 3;
const QTY = 0;
const UNIT_COST = 1;
const VALUE = 2;

export class CostPosition {
  /** Flat layers, oldest first; the ones before `head` are used up. */
  private layers: number[] = [];
  /** Index in `layers` of the oldest layer still on hand. */
  private head = 0;
  private layerQty = 0;
  private layerValue = 0;
  /** Units sold beyond stock, as a positive number, and their provisional value. */
  private shortQty = 0;
  private shortValue = 0;
  private lastCost: number | undefined;
  /**
   * Units of the last `takeOut` beyond stock. A field rather than a returned object: the fold calls
   * `takeOut` a million times and every object it returns would be garbage to collect.
   */
  lastShortQty = 0;

  constructor(readonly method: ValuationMethod) {}

  get qty(): number {
    return this.layerQty - this.shortQty;
  }

  get value(): number {
    return this.layerValue - this.shortValue;
  }

  get oversoldQty(): number {
    return this.shortQty;
  }

  /** The cost used for units that come in or go out without a cost of their own. */
  lastKnownCost(): number | undefined {
    return this.lastCost;
  }

  /** The current unit cost: the average for `average`, the value per unit on hand for FIFO. */
  unitCost(): number | undefined {
    if (this.method === 'average') {
      return this.head < this.layers.length ? this.layers[this.head + UNIT_COST] : this.lastCost;
    }
    return this.layerQty > 0 ? this.layerValue / this.layerQty : this.lastCost;
  }

  remainingLayers(): CostLayer[] {
    const layers: CostLayer[] = [];
    for (let i = this.head; i < this.layers.length; i += LAYER) {
      layers.push({ qty: this.layers[i + QTY] as number, unitCost: this.layers[i + UNIT_COST] as number, value: this.layers[i + VALUE] as number });
    }
    return layers;
  }

  shortfall(): { qty: number; value: number } {
    return { qty: this.shortQty, value: this.shortValue };
  }

  /**
   * Takes `qty` units out, oldest layers first, and returns their value (whole minor units). The part
   * beyond stock is valued at the last known cost, or `fallbackCost`, and left in `lastShortQty`.
   */
  takeOut(qty: number, fallbackCost: number | undefined): number {
    const layers = this.layers;
    let remaining = qty;
    let value = 0;
    while (remaining > 0 && this.head < layers.length) {
      const i = this.head;
      const layerQty = layers[i + QTY] as number;
      if (layerQty <= remaining) {
        const layerValue = layers[i + VALUE] as number;
        value += layerValue;
        remaining -= layerQty;
        this.layerQty -= layerQty;
        this.layerValue -= layerValue;
        this.head += LAYER;
      } else {
        const part = roundHalfAwayFromZero(remaining * (layers[i + UNIT_COST] as number));
        layers[i + QTY] = layerQty - remaining;
        layers[i + VALUE] = (layers[i + VALUE] as number) - part;
        this.layerQty -= remaining;
        this.layerValue -= part;
        value += part;
        remaining = 0;
      }
    }
    this.compact();
    this.lastShortQty = remaining;
    if (remaining === 0) return value;
    const shortValue = roundHalfAwayFromZero(remaining * (this.lastCost ?? fallbackCost ?? 0));
    this.shortQty += remaining;
    this.shortValue += shortValue;
    return value + shortValue;
  }

  /**
   * Puts `qty` units worth `value` (whole minor units) at `unitCost` in; fills a shortfall first.
   * Returns the COGS correction: the incoming value of the units that filled the shortfall minus their
   * provisional value. The stock's value grows by `value − correction`.
   */
  putIn(qty: number, value: number, unitCost: number): number {
    let filledQty = 0;
    let provisional = 0;
    let filledValue = 0;
    if (this.shortQty > 0) {
      filledQty = Math.min(qty, this.shortQty);
      provisional =
        filledQty === this.shortQty
          ? this.shortValue
          : roundHalfAwayFromZero((filledQty * this.shortValue) / this.shortQty);
      filledValue = filledQty === qty ? value : roundHalfAwayFromZero(filledQty * unitCost);
      this.shortQty -= filledQty;
      this.shortValue -= provisional;
    }
    const restQty = qty - filledQty;
    const restValue = value - filledValue;
    if (restQty > 0) this.addLayer(restQty, restValue, unitCost);
    this.lastCost = this.method === 'average' && this.head < this.layers.length ? this.layers[this.head + UNIT_COST] : unitCost;
    return filledValue - provisional;
  }

  private addLayer(qty: number, value: number, unitCost: number): void {
    this.layerQty += qty;
    this.layerValue += value;
    const layers = this.layers;
    const only = this.head;
    if (this.method === 'average' && only < layers.length) {
      // Moving average: (old value + received value) / new quantity, at full precision.
      const onlyQty = (layers[only + QTY] as number) + qty;
      const onlyValue = (layers[only + VALUE] as number) + value;
      layers[only + QTY] = onlyQty;
      layers[only + VALUE] = onlyValue;
      layers[only + UNIT_COST] = onlyValue / onlyQty;
      return;
    }
    layers.push(qty, this.method === 'average' ? value / qty : unitCost, value);
  }

  private compact(): void {
    const used = this.head / LAYER;
    if (used > COMPACT_AFTER && this.head * 2 > this.layers.length) {
      this.layers = this.layers.slice(this.head);
      this.head = 0;
    } else if (this.head === this.layers.length && this.head > 0) {
      this.layers.length = 0;
      this.head = 0;
    }
  }
}
