/**
 * Settings → "Server and sync": whether this device is paired, with which server, the last sync and
 * the last error; a form to pair with a store's server (server address + pairing code); on the
 * owner's device a button that creates a pairing code for another device; and the events the
 * server refused, with its reasons and a "Retry".
 *
 * Mounted by SettingsScreen: `<SyncPanel app={app} />`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { deviceCode } from '../app-context.ts';
import { deviceRoleOf, type DeviceRole } from '../../domain/permissions.ts';
import { useLiveQuery, useOnline } from '../hooks/index.ts';
import { SetupQr } from './SetupQr.tsx';
import { pullOnScreen, SyncProgress, useNow } from './SyncProgress.tsx';
import { describeSyncBar, visiblePullProgress } from '../../sync/status.ts';
import { enrollThisDevice, listRejected, NotPerpetuaServerError, readSyncStatus, retryRejected, SyncHttpError, syncOnce, type SyncStatus } from '../../sync/index.ts';

interface PanelState {
  status: SyncStatus;
  serverUrl: string | null;
  role: DeviceRole | null;
  storeId: string | null;
}

const INITIAL: PanelState = {
  status: { pending: 0, rejected: 0, lastSyncAt: null, lastSyncError: null, enrolled: false },
  serverUrl: null,
  role: null,
  storeId: null,
};

type Rejected = Awaited<ReturnType<typeof listRejected>>;

async function readPanelState(app: AppContext): Promise<PanelState> {
  const [status, serverUrl, role, storeId] = await Promise.all([
    readSyncStatus(app.db),
    app.db.meta.get('serverUrl'),
    app.db.meta.get('deviceRole'),
    app.db.meta.get('storeId'),
  ]);
  return {
    status,
    serverUrl: typeof serverUrl?.value === 'string' ? serverUrl.value : null,
    role: deviceRoleOf(role?.value) ?? null,
    storeId: typeof storeId?.value === 'string' ? storeId.value : null,
  };
}

/** What went wrong while pairing, in words a shop owner can act on: each says what to do next. */
function pairingProblem(error: unknown, serverUrl: string): string {
  if (error instanceof NotPerpetuaServerError) return error.message;
  if (error instanceof SyncHttpError) {
    if (error.status === 0) {
      return `The server at ${serverUrl} cannot be reached (${error.message}) Check the address and that this device is on the shop’s network, then tap “Pair this device” again: the code is not used up.`;
    }
    const reason = error.reason;
    // The server's refusals (wrong, expired or used code; device already paired) say what to do.
    if (reason === 'code-unknown' || reason === 'code-expired' || reason === 'code-used') return `The server refused the code. ${error.message}`;
    if (typeof reason === 'string') return error.message;
    if (error.status === 401) return `The server refused the code: ${error.message} Ask the owner for a new pairing code.`;
    if (error.status >= 500) return `The server had a problem (${error.message}). Try again in a minute: the code is not used up.`;
    if (error.status === 404 || error.message === `HTTP ${error.status}`) {
      return `${serverUrl} answers, but it is not a Perpetua server. Check the server address: the server prints it when it starts.`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/** Syncs in the background after a change here; the status bar and this panel show the outcome. */
function syncSoon(app: AppContext): void {
  void syncOnce(app.db)
    .then(() => app.projection?.refresh())
    .catch(() => undefined);
}

export function SyncPanel({ app }: { app: AppContext }) {
  const state = useLiveQuery(() => readPanelState(app), [app], INITIAL);
  const rejected = useLiveQuery(() => listRejected(app.db), [app], [] as Rejected);
  const { status } = state;
  const pulling = pullOnScreen(status.pull);
  const now = useNow(pulling ? 1000 : 10_000);
  // Connected and syncing, as the status bar says: the server answered the pairing (enroll.ts).
  const online = useOnline();
  const connection = describeSyncBar(status, { online, nowMs: now });
  // After pairing, the first sync in full: X of Y events, what is left, about how long.
  const pull = visiblePullProgress(status, now);

  // A device paired before its role was kept asks the server once who it is.
  useEffect(() => {
    if (!status.enrolled || state.role !== null) return;
    void (async () => {
      const token = (await app.db.meta.get('deviceToken'))?.value;
      const base = state.serverUrl ?? location.origin;
      const response = await fetch(`${base.replace(/\/$/, '')}/api/v1/me`, { headers: { authorization: `Bearer ${String(token)}` } });
      if (!response.ok) return;
      const me = (await response.json()) as { role?: unknown };
      const known = deviceRoleOf(me.role);
      if (known !== undefined) await app.db.meta.put({ key: 'deviceRole', value: known });
    })().catch(() => undefined);
  }, [status.enrolled, state.role, state.serverUrl]);

  return (
    <section class="sync-panel" aria-labelledby="sync-panel-title">
      <h2 id="sync-panel-title">Server and sync</h2>
      {pull && <SyncProgress view={pull} />}
      <dl class="facts">
        <dt>Connection</dt>
        <dd data-testid="sync-enrolled" data-enrolled={String(status.enrolled)} data-connection={connection.connection}>
          {status.revoked
            ? 'This device was removed from the store by the owner, so it no longer syncs. Its sales stay on this device. Ask the owner for a pairing code and pair it again below.'
            : status.enrolled
            ? `Paired with the store’s server${state.role === 'owner' ? ' (owner’s device)' : ''}${connection.connection === 'online' ? ': connected' : ''}`
            : 'Not paired: sales stay on this device until it is paired with the store’s server.'}
        </dd>
        {status.enrolled && (
          <>
            <dt>Server</dt>
            <dd data-testid="sync-server-url">{state.serverUrl ?? location.origin}</dd>
          </>
        )}
        {status.enrolled && (
          <>
            <dt>Store history</dt>
            <dd data-testid="sync-history" data-complete={String(status.historyComplete === true)} class={status.historyComplete ? 'history-complete' : undefined}>
              {status.historyComplete
                ? 'This device has the store’s whole history.'
                : pull
                ? 'Coming in (see above): stock shown on this device may be incomplete until it is all here.'
                : connection.syncing
                ? 'Coming in now: stock shown on this device may be incomplete until it is all here.'
                : 'Not all here yet: the rest comes with the next sync. Stock shown on this device may be incomplete until then.'}
            </dd>
          </>
        )}
        <dt>Waiting to be sent</dt>
        <dd>{status.pending === 0 ? 'Nothing: every sale has reached the server.' : `${status.pending} event${status.pending === 1 ? '' : 's'}`}</dd>
        <dt>Last sync</dt>
        <dd data-testid="sync-last" data-syncing={String(connection.syncing)}>
          {connection.syncing
            ? status.lastSyncAt
              ? `Syncing now (the last sync ended ${formatTime(status.lastSyncAt)})`
              : 'Syncing now: the first sync is under way.'
            : status.lastSyncAt
            ? formatTime(status.lastSyncAt)
            : 'Never'}
        </dd>
        <dt>Last problem</dt>
        <dd data-testid="sync-panel-error" class={status.lastSyncError ? 'error' : undefined}>
          {status.lastSyncError ?? 'None'}
        </dd>
      </dl>

      {status.enrolled && state.role === 'owner' && <PairingCodeMaker app={app} serverUrl={state.serverUrl ?? location.origin} />}
      {status.enrolled ? (
        <details open={status.revoked === true}>
          <summary>Pair this device again (another server or a new code)</summary>
          <PairForm app={app} initialUrl={state.serverUrl ?? location.origin} />
        </details>
      ) : (
        <PairForm app={app} initialUrl={location.origin} />
      )}

      <RejectedList app={app} rejected={rejected} />
    </section>
  );
}

function PairForm({ app, initialUrl }: { app: AppContext; initialUrl: string }) {
  const [serverUrl, setServerUrl] = useState(initialUrl);
  // A setup link whose code was refused opens Settings with it (pair-from-link.ts).
  const [code, setCode] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('code') ?? '');
  const [deviceName, setDeviceName] = useState(`Till ${deviceCode(app.deviceId)}`);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async () => {
    setProblem(null);
    setDone(null);
    let url: URL;
    try {
      url = new URL(serverUrl.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      setProblem('The server address must start with https:// (or http:// on the shop’s own network), for example https://shop.example.com.');
      return;
    }
    if (code.trim() === '') {
      setProblem('Type the pairing code shown on the owner’s device (or the setup code the server printed).');
      return;
    }
    if (deviceName.trim() === '') {
      setProblem('Give this device a name, for example “Till 2”.');
      return;
    }
    setBusy(true);
    const base = url.origin + url.pathname.replace(/\/$/, '');
    try {
      const enrollment = await enrollThisDevice(app.db, {
        serverUrl: base,
        deviceName: deviceName.trim(),
        pairingCode: code.trim(),
      });
      if (enrollment.startedOver) {
        // The device was emptied of another store's books (the demo store's): what this page holds
        // in memory is theirs. It opens again as the new store's device, and its first sync begins.
        location.reload();
        return;
      }
      // The store and role this device now records events for, before anything else is recorded:
      // an event made with the old store id would be refused by the server.
      await app.refreshStoreId();
      setCode('');
      setDone(enrollment.role === 'owner' ? 'Paired as the owner’s device.' : 'Paired. Sales from this device now reach the store’s server.');
      syncSoon(app);
    } catch (error) {
      setProblem(pairingProblem(error, base));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="settings-form pair-form"
      aria-label="Pair this device with a server"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Server address
        <input type="url" inputMode="url" autoComplete="url" value={serverUrl} onInput={(e) => setServerUrl(e.currentTarget.value)} />
      </label>
      <label>
        Pairing code
        <input
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          placeholder="ABCD-1234"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
      </label>
      <label>
        Name of this device
        <input value={deviceName} onInput={(e) => setDeviceName(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Pairing…' : 'Pair this device'}
      </button>
      {problem && (
        <p class="error" role="alert" data-testid="pair-error">
          {problem}
        </p>
      )}
      {done && (
        <p role="status" data-testid="pair-done">
          {done}
        </p>
      )}
    </form>
  );
}

function PairingCodeMaker({ app, serverUrl }: { app: AppContext; serverUrl: string }) {
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const token = (await app.db.meta.get('deviceToken'))?.value;
      const response = await fetch(`${serverUrl.replace(/\/$/, '')}/api/v1/pairing-codes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${String(token)}` },
      });
      const body = (await response.json().catch(() => ({}))) as { code?: string; expiresAt?: string; error?: string };
      if (!response.ok || !body.code || !body.expiresAt) {
        setProblem(body.error ?? `The server could not create a code (HTTP ${response.status}).`);
        return;
      }
      setCode({ code: body.code, expiresAt: body.expiresAt });
    } catch (error) {
      setProblem(`The server cannot be reached (${error instanceof Error ? error.message : String(error)}); a pairing code needs the network.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="pairing-code-maker">
      <button type="button" class="secondary" disabled={busy} onClick={() => void create()}>
        Create pairing code
      </button>
      {code && (
        <p role="status">
          Type this code on the new device: <output data-testid="pairing-code" class="pairing-code">{code.code}</output>{' '}
          (single use, valid until {new Date(code.expiresAt).toLocaleTimeString([], { timeStyle: 'short' })}).
        </p>
      )}
      {code && <SetupQr serverUrl={serverUrl} code={code.code} />}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function RejectedList({ app, rejected }: { app: AppContext; rejected: Rejected }) {
  const [retried, setRetried] = useState<number | null>(null);
  const retry = async (ids?: string[]) => {
    setRetried(await retryRejected(app.db, ids));
    syncSoon(app);
  };
  return (
    <div class="rejected-events">
      <h3 id="rejected-title">Refused by the server</h3>
      {rejected.length === 0 ? (
        <p data-testid="rejected-none">None: the server accepted everything this device sent.</p>
      ) : (
        <>
          <p>
            These events stay on this device, set aside, and are not sent again until you retry them. Fix the cause first (the reason
            says what the server objected to).
          </p>
          <ul aria-labelledby="rejected-title" data-testid="rejected-list">
            {rejected.map((item) => (
              <li key={item.eventId} data-event-id={item.eventId} class="rejected-event">
                <strong>{item.kind ?? 'Event'}</strong> <small>{item.eventId}</small>
                <p class="error">{item.reason}</p>
                <button type="button" class="secondary" aria-label={`Retry ${item.kind ?? 'event'} ${item.eventId}`} onClick={() => void retry([item.eventId])}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
          {rejected.length > 1 && (
            <button type="button" class="primary" onClick={() => void retry()}>
              Retry all {rejected.length}
            </button>
          )}
        </>
      )}
      {retried !== null && <p role="status">{retried === 1 ? '1 event is back in line to be sent.' : `${retried} events are back in line to be sent.`}</p>}
    </div>
  );
}
