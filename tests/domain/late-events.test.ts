/**
 * A late (backdated) event re-folds only the product × location it touches, from the start of that
 * stream; the newest event is folded on its own.
 */
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Device } from './support/event-factory.ts';

describe('late events', () => {
  const till = new Device('till-1', 'loc-1', 1_700_000_000_000);
  const offline = new Device('till-2', 'loc-1', 1_700_000_000_000);
  const history: LedgerEvent[] = [
    till.receive([{ productId: 'long', qty: 1000, unitCost: 100 }]),
    till.receive([{ productId: 'short', qty: 10, unitCost: 100 }]),
    till.receive([{ productId: 'long', qty: 1000, unitCost: 100 }], { locationId: 'loc-2' }),
  ];
  for (let i = 0; i < 200; i++) history.push(till.sale([{ productId: 'long', qty: 1 }]));
  history.push(till.sale([{ productId: 'short', qty: 1 }]));
  for (let i = 0; i < 50; i++) history.push(till.sale([{ productId: 'long', qty: 1 }], { locationId: 'loc-2' }));

  it('folds a newest event without re-folding anything', () => {
    const ledger = Books.fromEvents(history, { valuation: 'fifo' });
    ledger.apply(till.sale([{ productId: 'long', qty: 1 }]));
    expect(ledger.foldStats().refoldedEntries).toBe(0);
    expect(ledger.onHand('long', 'loc-1')).toBe(799);
  });

  it('re-folds only the stream of a backdated event', () => {
    const ledger = Books.fromEvents(history, { valuation: 'fifo' });
    // Recorded offline early on, synced now: 'short' at loc-1 has 2 entries, plus this one.
    ledger.apply(offline.sale([{ productId: 'short', qty: 2 }], { at: 1_700_000_002_500 }));
    expect(ledger.foldStats().refoldedEntries).toBe(3);
    // 'long' at loc-1 has 201 entries, plus this one; loc-2's 51 entries are left alone.
    ledger.apply(offline.sale([{ productId: 'long', qty: 2 }], { at: 1_700_000_002_600 }));
    expect(ledger.foldStats().refoldedEntries).toBe(3 + 202);
    expect(ledger.onHand('short', 'loc-1')).toBe(7);
    expect(ledger.onHand('long', 'loc-1')).toBe(798);
    expect(ledger.onHand('long', 'loc-2')).toBe(950);
  });
});
