/**
 * Store locations: `location-defined` is checked at the boundary like every event, and the set of
 * locations is a fold that depends on the set of events only (the latest definition of an id, in
 * canonical ledger order, names it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { DEFAULT_LOCATIONS, locationNameProblem, locationsOf } from '../../src/domain/locations.ts';
import { refusalFor } from '../../src/app/commands/registry.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { Device } from './support/event-factory.ts';
import { journalEntries } from '../../src/domain/journal.ts';

const owner = new Device('owner-1');
const define = (id: string, name: string, device: Device = owner): LedgerEvent => device.event({ kind: 'location-defined', location: { id, name } });

function errorOf(input: unknown): string {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

function withLocation(event: LedgerEvent, location: unknown): unknown {
  return { ...event, location };
}

describe('location-defined validation', () => {
  const good = define('loc-warehouse', 'Warehouse');

  it('accepts a well-formed event and returns it unchanged', () => {
    expect(parseEvent(good)).toEqual({ ok: true, event: good, exact: true });
  });

  it('drops unknown fields of the location', () => {
    const parsed = parseEvent(withLocation(good, { id: 'loc-warehouse', name: 'Warehouse', colour: 'red' }));
    expect(parsed.ok && parsed.event.kind === 'location-defined' && parsed.event.location).toEqual({ id: 'loc-warehouse', name: 'Warehouse' });
  });

  it.each([
    ['no location', withLocation(good, undefined), /^location: is missing$/],
    ['no name', withLocation(good, { id: 'loc-x' }), /^location\.name: is missing$/],
    ['no id', withLocation(good, { name: 'Van' }), /^location\.id: is missing$/],
    ['an empty name', withLocation(good, { id: 'loc-x', name: '' }), /^location\.name: must not be empty$/],
    ['a name of spaces', withLocation(good, { id: 'loc-x', name: '   ' }), /^location\.name: must not be empty$/],
    ['a name with spaces around it', withLocation(good, { id: 'loc-x', name: ' Van ' }), /^location\.name: must not start or end with spaces$/],
    ['a name of 61 characters', withLocation(good, { id: 'loc-x', name: 'x'.repeat(61) }), /^location\.name: must be at most 60 characters$/],
    ['a name that is not text', withLocation(good, { id: 'loc-x', name: 7 }), /^location\.name: must be text$/],
    ['an empty id', withLocation(good, { id: '', name: 'Van' }), /^location\.id: must not be empty$/],
    ['an id of 101 characters', withLocation(good, { id: 'l'.repeat(101), name: 'Van' }), /^location\.id: must be at most 100 characters$/],
  ])('refuses %s', (_name, input, message) => {
    expect(errorOf(input)).toMatch(message);
  });

  it('accepts a name of exactly 60 characters', () => {
    expect(parseEvent(withLocation(good, { id: 'loc-x', name: 'x'.repeat(60) })).ok).toBe(true);
  });

  it('is the owner’s alone, and moves no stock', () => {
    expect(refusalFor('staff', 'location-defined')).toBe('Only the owner’s device can add or rename locations.');
    expect(refusalFor('owner', 'location-defined')).toBeUndefined();
    expect(Books.fromEvents([good], { valuation: 'fifo' }).movementsOf(good.id)).toEqual([]);
  });
});

describe('the store’s locations', () => {
  it('start as the demo store’s seeded locations, which every device has in db.locations', () => {
    expect(DEMO_LOCATIONS.map((l) => ({ id: l.id, name: l.name }))).toEqual([...DEFAULT_LOCATIONS]);
  });

  it('are the shop floor and the back room when nothing was defined', () => {
    expect(locationsOf([])).toEqual([...DEFAULT_LOCATIONS]);
    expect(new Books({ valuation: 'fifo' }).locations()).toEqual([...DEFAULT_LOCATIONS]);
  });

  it('gain an added location, after the defaults', () => {
    expect(locationsOf([define('loc-warehouse', 'Warehouse')])).toEqual([
      { id: 'loc-floor', name: 'Shop floor' },
      { id: 'loc-back', name: 'Back room' },
      { id: 'loc-warehouse', name: 'Warehouse' },
    ]);
  });

  it('take the name of the latest definition in ledger order, not of the latest to arrive', () => {
    const added = define('loc-van', 'Van');
    const renamed = define('loc-van', 'Delivery van');
    const floor = define('loc-floor', 'Front of shop');
    const expected = [
      { id: 'loc-floor', name: 'Front of shop' },
      { id: 'loc-back', name: 'Back room' },
      { id: 'loc-van', name: 'Delivery van' },
    ];
    expect(locationsOf([added, renamed, floor])).toEqual(expected);
    expect(locationsOf([floor, renamed, added])).toEqual(expected);
    expect(Books.fromEvents([renamed, floor, added], { valuation: 'fifo' }).locations()).toEqual(expected);
  });

  it('post nothing to the journal', () => {
    const ledger = Books.fromEvents([define('loc-van', 'Van')], { valuation: 'fifo' });
    expect(journalEntries(ledger)).toEqual([]);
    expect(ledger.stockLevels()).toEqual([]);
  });

  it('are the same for any arrival order of the same events', () => {
    const devices = [new Device('owner-a'), new Device('owner-b', 'loc-1', 1_700_000_000_500)];
    const definitions = fc.array(
      fc.record({
        device: fc.integer({ min: 0, max: 1 }),
        id: fc.constantFrom('loc-floor', 'loc-back', 'loc-van', 'loc-warehouse', 'loc-shop-2'),
        name: fc.constantFrom('Van', 'Warehouse', 'Second shop', 'Cellar', 'Attic'),
        // Several devices stamping the same wall time makes HLC ties that the device id breaks.
        at: fc.integer({ min: 0, max: 5 }),
      }),
      { maxLength: 25 },
    );
    const history = definitions.map((list) =>
      list.map((d) =>
        (devices[d.device] as Device).event({ kind: 'location-defined', location: { id: d.id, name: d.name } }, { at: 1_800_000_000_000 + d.at * 1000 }),
      ),
    );
    const withArrivalOrder = history.chain((events) =>
      fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })),
    );
    fc.assert(
      fc.property(withArrivalOrder, ([events, arrivals]) => {
        const expected = locationsOf(events);
        expect(locationsOf(arrivals)).toEqual(expected);
        const ledger = new Books({ valuation: 'fifo' });
        for (const event of arrivals) ledger.apply(event);
        expect(ledger.locations()).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('locationNameProblem', () => {
  const locations = [...DEFAULT_LOCATIONS, { id: 'loc-van', name: 'Van' }];

  it('refuses an empty name', () => {
    expect(locationNameProblem('  ', locations)).toBe('Enter a name for the location.');
  });

  it('refuses a name another location has, ignoring case and spaces', () => {
    expect(locationNameProblem(' back ROOM ', locations)).toBe('There is already a location called “Back room”.');
  });

  it('refuses a name that is too long', () => {
    expect(locationNameProblem('x'.repeat(61), locations)).toBe('Keep the name to 60 characters or fewer.');
  });

  it('lets a location keep its own name with other capitals when renamed', () => {
    expect(locationNameProblem('VAN', locations, 'loc-van')).toBeUndefined();
    expect(locationNameProblem('Warehouse', locations)).toBeUndefined();
  });
});
