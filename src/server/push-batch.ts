/**
 * Turns the body of `POST /api/v1/sync/push` into rows to store, or into a precise 4xx.
 *
 * Whole-batch refusals (nothing stored): not an object with an `events` array (400), too many
 * events (413), an event carrying another device's id (403: a device may only push its own
 * events), or any event that fails the domain's `parseEvent`, that the device's role may not
 * record (`refusalFor`: e.g. a staff device approving a count), or that the store's staff rules
 * refuse (`staffRefusal`: e.g. a cashier's void without a supervisor's approval) (422, listing every
 * bad event by index, id and reason so the client can set exactly those aside and resend the rest).
 *
 * Pure: the caller reads the store's staff and settings (read-model.ts `staffView`) only when
 * `needsStaffView` says an event of the batch could need a privilege, so a push of plain sales
 * never waits for the read model.
 */
import { parseEvent, type LedgerEvent } from '../domain/index.ts';
import { privilegesNeeded, staffRefusal, type StaffRoster } from '../domain/staff.ts';
import { storeSettingsOf, type StoreSettingsChange } from '../domain/store-settings.ts';
import { refusalFor } from '../app/commands/registry.ts';
import { HttpError } from './http-util.ts';
import { eventRowOf, type DeviceRecord, type EventRow } from './storage/store.ts';

export const MAX_EVENTS_PER_BATCH = 1000;

export interface InvalidEvent {
  index: number;
  id: string | null;
  reason: string;
}

/** A push body checked event by event: the events that parsed, and why the others did not. */
export interface PushBatch {
  size: number;
  events: { index: number; event: LedgerEvent }[];
  invalid: InvalidEvent[];
}

/** The store's staff and settings as the server holds them, before the batch (read-model.ts). */
export interface StaffView {
  roster: StaffRoster;
  settingsChanges: readonly StoreSettingsChange[];
}

/** Checks the body's shape (400, 413, 403 thrown) and each event's schema, role and store. */
export function parsePushBody(body: unknown, device: DeviceRecord): PushBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('events' in body)) {
    throw new HttpError(400, 'The body must be an object of the form {"events": [ ... ]}.');
  }
  const events = (body as { events: unknown }).events;
  if (!Array.isArray(events)) throw new HttpError(400, '"events" must be an array of ledger events.');
  if (events.length === 0) throw new HttpError(400, '"events" is empty; send at least one event.');
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(
      413,
      `A batch may hold at most ${MAX_EVENTS_PER_BATCH} events; this one has ${events.length}. Send smaller batches.`,
    );
  }

  events.forEach((raw, index) => {
    const deviceId = typeof raw === 'object' && raw !== null ? (raw as { deviceId?: unknown }).deviceId : undefined;
    if (typeof deviceId === 'string' && deviceId !== device.id) {
      throw new HttpError(
        403,
        `Event ${index} carries device id ${deviceId}, but this token belongs to device ${device.id}; a device may only push its own events.`,
        { index },
      );
    }
  });

  const invalid: InvalidEvent[] = [];
  const parsedEvents: PushBatch['events'] = [];
  events.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' ? rawId : null;
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      invalid.push({ index, id, reason: parsed.error });
      return;
    }
    const event = parsed.event;
    const refusal = refusalFor(device.role, event.kind);
    if (refusal !== undefined) {
      invalid.push({ index, id, reason: `${event.kind}: ${refusal} This device was paired as a staff device.` });
      return;
    }
    if (event.storeId !== device.storeId) {
      invalid.push({
        index,
        id,
        reason: `storeId: this device is enrolled in store ${device.storeId}, but the event names store ${event.storeId}`,
      });
      return;
    }
    parsedEvents.push({ index, event });
  });
  return { size: events.length, events: parsedEvents, invalid };
}

/**
 * Whether some event of the batch could need a privilege under any store settings (a discount limit
 * of 0 % flags every discount): only then is the store's staff worth looking up.
 */
export function needsStaffView(batch: PushBatch): boolean {
  return batch.events.some(({ event }) => privilegesNeeded(event, { discountApprovalPercent: 0 }).length > 0);
}

/**
 * The rows to store, or a 422 listing every bad event. With `staff`, each event is judged by the
 * store's members and settings including the batch's own definitions and changes (the owner's
 * device may define itself as manager and void a sale in one push).
 */
export function rowsOfBatch(batch: PushBatch, staff?: StaffView): EventRow[] {
  const invalid = [...batch.invalid];
  if (staff) {
    const events = batch.events.map(({ event }) => event);
    const roster = staff.roster.with(events);
    const settings = storeSettingsOf([...staff.settingsChanges, ...events]);
    for (const { index, event } of batch.events) {
      const refusal = staffRefusal(event, roster, settings);
      if (refusal !== undefined) invalid.push({ index, id: event.id, reason: `${event.kind}: ${refusal}` });
    }
    invalid.sort((a, b) => a.index - b.index);
  }
  if (invalid.length > 0) {
    throw new HttpError(
      422,
      `${invalid.length} of ${batch.size} events are invalid; nothing from this batch was stored. Set the listed events aside and resend the others.`,
      { rejected: invalid },
    );
  }
  // The schema fixes the key order of parsed events, so this text is the same for every copy.
  return batch.events.map(({ event }) => eventRowOf(event, JSON.stringify(event)));
}
