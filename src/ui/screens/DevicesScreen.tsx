/**
 * The store's devices (issue 17, item 6), owner only: every paired device with its last sync, the
 * events it had recorded (by its last report) that the server has not received, and whether it is
 * revoked; "Revoke" for a lost or stolen one, after a confirmation that names it. The list lives on
 * the server (GET /api/v1/devices, POST /api/v1/devices/<id>/revoke), so this screen needs the
 * network and says so plainly when there is none.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useOnline } from '../hooks/index.ts';
import './devices-screen.css';

/** A device as the server lists it (deviceView in src/server/app.ts). */
export interface ListedDevice {
  id: string;
  name: string;
  role: 'owner' | 'staff';
  createdAt: string;
  lastSyncAt: string | null;
  revokedAt: string | null;
  eventsReceived: number;
  eventsNotSeen: number;
}

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'loaded'; devices: ListedDevice[] };

interface Connection {
  baseUrl: string;
  token: string;
  deviceId: string | null;
}

async function connectionOf(app: AppContext): Promise<Connection | null> {
  const [token, serverUrl, deviceId] = await app.db.meta.bulkGet(['deviceToken', 'serverUrl', 'deviceId']);
  if (typeof token?.value !== 'string') return null;
  const base = typeof serverUrl?.value === 'string' ? serverUrl.value : location.origin;
  return { baseUrl: base.replace(/\/$/, ''), token: token.value, deviceId: typeof deviceId?.value === 'string' ? deviceId.value : null };
}

/** A request to the server; an answer that is not 2xx becomes the server's sentence. */
async function callServer<T>(connection: Connection, path: string, method: 'GET' | 'POST'): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${connection.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${connection.token}` },
      cache: 'no-store',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new Error(`The server cannot be reached (${error instanceof Error ? error.message : String(error)}). The list of devices needs the network: check it and try again.`, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `The server refused (HTTP ${response.status}). Try again later.`);
  return body as T;
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "2 minutes ago", "yesterday", "3 weeks ago". */
export function relativeTime(iso: string, nowMs: number): string {
  const seconds = Math.round((Date.parse(iso) - nowMs) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
    ['year', Infinity],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 45 ? 'just now' : RELATIVE.format(Math.round(value), unit);
    value /= size;
  }
  return RELATIVE.format(Math.round(value), 'year');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function DevicesScreen({ app }: { app: AppContext }) {
  const online = useOnline();
  const [connection, setConnection] = useState<Connection | null | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [confirming, setConfirming] = useState<ListedDevice | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    void connectionOf(app).then(setConnection);
  }, [app]);

  const reload = async (using: Connection) => {
    setLoad({ state: 'loading' });
    try {
      const { devices } = await callServer<{ devices: ListedDevice[] }>(using, '/api/v1/devices', 'GET');
      setLoad({ state: 'loaded', devices });
    } catch (error) {
      setLoad({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  useEffect(() => {
    if (connection && online && app.role === 'owner') void reload(connection);
  }, [connection, online, app.role]);

  const revoke = async (device: ListedDevice) => {
    if (!connection) return;
    setRevoking(true);
    setRevokeError(null);
    try {
      const answer = await callServer<{ device: ListedDevice; eventsNeverReceived: number }>(
        connection,
        `/api/v1/devices/${encodeURIComponent(device.id)}/revoke`,
        'POST',
      );
      setConfirming(null);
      setDone(`Revoked. The server never received ${answer.eventsNeverReceived} of its events.`);
      setLoad((current) =>
        current.state === 'loaded' ? { state: 'loaded', devices: current.devices.map((d) => (d.id === answer.device.id ? answer.device : d)) } : current,
      );
    } catch (error) {
      setRevokeError(error instanceof Error ? error.message : String(error));
    } finally {
      setRevoking(false);
    }
  };

  const frame = (body: ComponentChildren) => (
    <section class="screen devices-screen" aria-labelledby="devices-title">
      <h1 id="devices-title">Devices</h1>
      {body}
    </section>
  );

  if (app.role !== 'owner') {
    return frame(
      <p role="status" data-testid="devices-not-owner">
        Only the owner’s device can see the store’s devices and revoke one, because revoking stops a till from syncing. Ask the owner.
      </p>,
    );
  }
  if (connection === undefined) return frame(<p role="status">Reading this device’s pairing…</p>);
  if (connection === null) {
    return frame(
      <p role="status" data-testid="devices-unpaired">
        This device is not paired with the store’s server, so there are no other devices to list. Pair it in Settings → Server and sync.
      </p>,
    );
  }
  if (!online) {
    return frame(
      <p role="status" data-testid="devices-offline">
        This device is offline. The list of devices is kept by the store’s server, so it needs the network: connect and it appears here.
      </p>,
    );
  }

  const nowMs = Date.now();
  return frame(
    <>
      <p class="hint">
        Revoke a till that was lost, stolen or replaced: its pairing stops working at once. “Not yet received” counts the events the device had
        recorded, by what it told the server the last time it synced, that never reached the server.
      </p>
      {done && (
        <p role="status" class="devices-done" data-testid="devices-done">
          {done}
        </p>
      )}
      {load.state === 'loading' && <p role="status">Asking the server for the list…</p>}
      {load.state === 'failed' && (
        <p class="error" role="alert" data-testid="devices-error">
          {load.message}
        </p>
      )}
      {load.state !== 'loading' && (
        <button type="button" class="secondary" onClick={() => void reload(connection)}>
          Reload the list
        </button>
      )}
      {load.state === 'loaded' && (
        <ul class="device-list" aria-label="Paired devices">
          {load.devices.map((device) => {
            const self = device.id === connection.deviceId;
            return (
              <li key={device.id} class="device-card" data-testid="device-row" data-device-id={device.id} data-revoked={device.revokedAt ? 'true' : 'false'}>
                <h2>
                  {device.name}
                  {self && <span class="device-self"> (this device)</span>}
                </h2>
                <dl class="device-facts">
                  <dt>Role</dt>
                  <dd>{device.role === 'owner' ? 'Owner' : 'Staff'}</dd>
                  <dt>Last sync</dt>
                  <dd data-testid="device-last-sync">{device.lastSyncAt ? relativeTime(device.lastSyncAt, nowMs) : 'Never'}</dd>
                  <dt>Not yet received</dt>
                  <dd data-testid="device-not-seen">{device.eventsNotSeen === 0 ? 'None' : plural(device.eventsNotSeen, 'event', 'events')}</dd>
                  <dt>Status</dt>
                  <dd data-testid="device-status" class={device.revokedAt ? 'revoked' : undefined}>
                    {device.revokedAt ? `Revoked ${relativeTime(device.revokedAt, nowMs)}` : 'Paired'}
                  </dd>
                </dl>
                {!device.revokedAt && !self && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() => {
                      setDone(null);
                      setRevokeError(null);
                      setConfirming(device);
                    }}
                  >
                    Revoke {device.name}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {confirming && (
        <RevokeDialog device={confirming} busy={revoking} error={revokeError} onConfirm={() => void revoke(confirming)} onCancel={() => setConfirming(null)} />
      )}
    </>,
  );
}

function RevokeDialog(props: { device: ListedDevice; busy: boolean; error: string | null; onConfirm(): void; onCancel(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const { device } = props;
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog revoke-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="revoke-title"
        aria-describedby="revoke-what"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !props.busy) props.onCancel();
        }}
      >
        <h2 id="revoke-title">Revoke “{device.name}”?</h2>
        <p id="revoke-what">
          “{device.name}” stops syncing at once: it can no longer send sales to the server or receive the others’. What it has not sent stays on it
          {device.eventsNotSeen > 0 ? ` (${plural(device.eventsNotSeen, 'event', 'events')} by its last report)` : ''}. To use it again, pair it
          again with a new code.
        </p>
        {props.error && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="secondary" ref={cancel} onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="button" class="danger confirm" onClick={props.onConfirm} disabled={props.busy} data-testid="revoke-confirm">
            Revoke {device.name}
          </button>
        </div>
      </div>
    </div>
  );
}
