/**
 * Turns the body of `POST /api/v1/sync/push` into rows to store, or into a precise 4xx.
 *
 * Whole-batch refusals (nothing stored): not an object with an `events` array (400), too many
 * events (413), an event carrying another device's id (403: a device may only push its own
 * events), or any event that fails the domain's `parseEvent` or that the device's role may not
 * record (`refusalFor`: e.g. a staff device approving a count) (422, listing every bad event by
 * index, id and reason so the client can set exactly those aside and resend the rest).
 */
import { parseEvent } from '../domain/index.ts';
import { refusalFor } from '../app/commands/registry.ts';
import { HttpError } from './http-util.ts';
import { eventRowOf, type DeviceRecord, type EventRow } from './storage/store.ts';

export const MAX_EVENTS_PER_BATCH = 1000;

export interface InvalidEvent {
  index: number;
  id: string | null;
  reason: string;
}

export function rowsFromPushBody(body: unknown, device: DeviceRecord): EventRow[] {
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
  const rows: EventRow[] = [];
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
    // The schema fixes the key order of parsed events, so this text is the same for every copy.
    rows.push(eventRowOf(event, JSON.stringify(event)));
  });

  if (invalid.length > 0) {
    throw new HttpError(
      422,
      `${invalid.length} of ${events.length} events are invalid; nothing from this batch was stored. Set the listed events aside and resend the others.`,
      { rejected: invalid },
    );
  }
  return rows;
}
