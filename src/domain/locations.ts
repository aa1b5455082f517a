/**
 * The store's locations: a shop floor and a back room that every store starts with, plus whatever
 * the owner adds or renames with `location-defined` events. A location is never removed, so stock
 * and history recorded at it always have a name.
 *
 * The fold is deterministic: for each location id the definition latest in canonical ledger order
 * (order.ts) names it, whatever order the events arrived in.
 */
import type { EventOf, LedgerEvent } from './events.ts';
import { compareEvents, compareStrings } from './order.ts';

export interface StoreLocation {
  id: string;
  name: string;
}

export const DEFAULT_LOCATIONS = [
  { id: 'loc-floor', name: 'Shop floor' },
  { id: 'loc-back', name: 'Back room' },
] as const satisfies readonly StoreLocation[];

export const MAX_LOCATION_NAME = 60;
export const MAX_LOCATION_ID = 100;

export type LocationDefinition = EventOf<'location-defined'>;

/** The definitions that name each location, by id: `current` with `event` taken into account. */
export function withDefinition(current: ReadonlyMap<string, LocationDefinition>, event: LocationDefinition): Map<string, LocationDefinition> {
  const next = new Map(current);
  const previous = current.get(event.location.id);
  if (previous === undefined || compareEvents(previous, event) < 0) next.set(event.location.id, event);
  return next;
}

/** Each default location with its latest name, then the added ones. */
export function locationsFrom(definitions: ReadonlyMap<string, LocationDefinition>): StoreLocation[] {
  const defaults = DEFAULT_LOCATIONS.map((l) => ({ id: l.id, name: definitions.get(l.id)?.location.name ?? l.name }));
  const added = [...definitions.values()].map((d) => ({ id: d.location.id, name: d.location.name }));
  return inStoreOrder([...defaults, ...added.filter((l) => !isDefault(l.id))]);
}

/**
 * The order screens list locations in: the default two first, then the added ones by id. New ids
 * start with a UUIDv7 (`loc-<uuid>`), so added locations come in the order they were created.
 */
export function inStoreOrder<T extends StoreLocation>(locations: readonly T[]): T[] {
  const rank = (id: string): number => {
    const index = DEFAULT_LOCATIONS.findIndex((l) => l.id === id);
    return index === -1 ? DEFAULT_LOCATIONS.length : index;
  };
  return [...locations].sort((a, b) => rank(a.id) - rank(b.id) || compareStrings(a.id, b.id));
}

function isDefault(id: string): boolean {
  return DEFAULT_LOCATIONS.some((l) => l.id === id);
}

/** The store's locations after `events`, in any order. */
export function locationsOf(events: Iterable<LedgerEvent>): StoreLocation[] {
  let definitions = new Map<string, LocationDefinition>();
  for (const event of events) if (event.kind === 'location-defined') definitions = withDefinition(definitions, event);
  return locationsFrom(definitions);
}

/** The name as it is stored: without the spaces people type around it. */
export function normaliseLocationName(name: string): string {
  return name.trim();
}

/**
 * Why `name` cannot name a location (the one with `ownId` when renaming), in words for people;
 * undefined when it can. Two locations with one name could not be told apart on a transfer.
 */
export function locationNameProblem(name: string, locations: readonly StoreLocation[], ownId?: string): string | undefined {
  const wanted = normaliseLocationName(name);
  if (wanted.length === 0) return 'Enter a name for the location.';
  if (wanted.length > MAX_LOCATION_NAME) return `Keep the name to ${MAX_LOCATION_NAME} characters or fewer.`;
  const key = wanted.toLocaleLowerCase();
  const clash = locations.find((l) => l.id !== ownId && normaliseLocationName(l.name).toLocaleLowerCase() === key);
  return clash === undefined ? undefined : `There is already a location called “${clash.name}”.`;
}
