/** The store's locations: the owner adds one (a warehouse, a second shop, a van) or renames one. */
import { locationNameProblem, normaliseLocationName } from '../../domain/locations.ts';
import { accept, defineCommand, refuse } from './command.ts';

export interface DefineLocationInput {
  /** The location renamed; absent to add a new one. */
  locationId?: string;
  name: string;
}

export const defineLocation = defineCommand<DefineLocationInput>({
  name: 'define-location',
  records: ['location-defined'],
  permission: 'owner',
  action: 'add or rename locations',
  check(input, context) {
    if (input.locationId !== undefined && !context.locations.some((l) => l.id === input.locationId)) {
      return refuse({ field: 'locationId', message: 'This location is not one of the store’s locations on this device. Sync, then try again.' });
    }
    const problem = locationNameProblem(input.name, context.locations, input.locationId);
    if (problem !== undefined) return refuse({ field: 'name', message: problem });
    return accept({ kind: 'location-defined', location: { id: input.locationId ?? `loc-${context.newId()}`, name: normaliseLocationName(input.name) } });
  },
});
