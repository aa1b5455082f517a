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

export const DEFAULT_LOCATIONS: readonly StoreLocation[] = [
  { id: 'loc-floor', name: 'Shop floor' },
  { id: 'loc-back', name: 'Back room' },
];

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

/**
 * The default locations (renamed where defined) in their order, then the added ones by id. Ids made
 * with `newLocationId` start with a UUIDv7, so added locations come in the order they were created.
 */
export function locationsFrom(definitions: ReadonlyMap<string, LocationDefinition>): StoreLocation[] {
  const named = (id: string, fallback: string): StoreLocation => ({ id, name: definitions.get(id)?.location.name ?? fallback });
  const defaults = DEFAULT_LOCATIONS.map((l) => named(l.id, l.name));
  const added = [...definitions.keys()]
    .filter((id) => !DEFAULT_LOCATIONS.some((l) => l.id === id))
    .sort(compareStrings)
    .map((id) => named(id, id));
  return [...defaults, ...added];
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
