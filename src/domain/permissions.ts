/**
 * Who a paired device is. Which events need which role is decided by the command registry
 * (src/app/commands/registry.ts), the one table both the app and the server check.
 */

/** What a paired device is: the owner's, or a staff device paired with a code the owner made. */
export type DeviceRole = 'owner' | 'staff';

/**
 * Reads a role stored on disk or sent on the wire. Before the rename a staff device's role was
 * called 'device': a device paired then, or a server that has not upgraded yet, still says so.
 * Anything else is not a role (undefined).
 */
export function deviceRoleOf(stored: unknown): DeviceRole | undefined {
  if (stored === 'owner' || stored === 'staff') return stored;
  return stored === 'device' ? 'staff' : undefined;
}
