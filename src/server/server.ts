/**
 * `startServer` builds the storage, the store and the HTTP server. main.ts is a thin CLI over it;
 * tests start the real thing on an ephemeral loopback port.
 *
 * Graceful shutdown: stop accepting connections, let the requests in flight (a push batch being
 * committed) finish and reply, then close the storage. Idle keep-alive sockets are closed at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { DEMO_STORE_ID, demoSeedEvents } from '../domain/demo-store.ts';
import { createApp } from './app.ts';
import { canonicalJson } from './canonical-json.ts';
import { ensureStore } from './enrollment.ts';
import { createLogger, describeError, NO_AUDIT_LOG, type AuditLog, type Logger, type LogLevel } from './log.ts';
import { PostgresStore } from './storage/postgres.ts';
import { SqliteStore } from './storage/sqlite.ts';
import { eventRowOf, type LedgerStore } from './storage/store.ts';
import type { ValuationMethod } from '../domain/index.ts';
import { createStaticHandler } from './static-files.ts';
import { createSetupRoutes, setupUrl, type SetupContext } from './setup-routes.ts';
import { machineNames, type MachineNames } from './tls/machine-names.ts';
import { ownCredentials, storeIssuedCredentials, type TlsCredentials } from './tls/tls-credentials.ts';

/** HTTPS beside HTTP: with the store's own certificate, or with one the operator brings. */
export interface HttpsOptions {
  /** 0 (the default) picks a free port; main.ts uses HTTPS_PORT (8443). */
  port?: number;
  /** TLS_CERT/TLS_KEY: PEM files of a certificate for a real domain. Then no store CA is made or used. */
  certificateFile?: string;
  keyFile?: string;
  /** The names and addresses the store certificate covers; read from the OS when absent. */
  names?: () => MachineNames;
  /** The clock for certificate renewal (tests move it). */
  now?: () => Date;
  /** How often a running server checks whether its certificate needs renewing (10 minutes). */
  refreshIntervalMs?: number;
}

export interface ServerOptions {
  /** Where enrollments, pairing codes, revocations and refused requests are logged (issue 17); none by default. */
  auditLog?: AuditLog;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default; main.ts listens on all interfaces so tablets on the LAN can reach it. Several: one listener each. */
  host?: string | readonly string[];
  /** HTTPS too (off unless asked for; `npm start` turns it on). */
  https?: HttpsOptions | false;
  /** The app's address behind a TLS-terminating proxy (PUBLIC_URL): the setup page links there. */
  publicUrl?: string;
  /** SQLite file lives at `<dataDir>/perpetua.sqlite`. Ignored when databaseUrl is set. */
  dataDir?: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use instead of public (tests isolate themselves this way). */
  databaseSchema?: string;
  /** The built app (dist/). Null or absent: API only. */
  staticDir?: string | null;
  /** Devices may enroll without a code, and the store is the demo store with its seed events. */
  demo?: boolean;
  storeName?: string;
  /** Inventory valuation of the read endpoints: 'fifo' (default) or 'average'. */
  valuation?: ValuationMethod;
  logLevel?: LogLevel;
  logger?: Logger;
  bodyLimitBytes?: number;
  /** Longest wait for requests in flight on close before their sockets are cut. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  storeId: string;
  /** The one-time code for the first (owner) device, while no device is enrolled. */
  setupCode: string | null;
  /** The HTTPS listener and what it serves; null when HTTPS is off. */
  https: { url: string; port: number; credentials: TlsCredentials } | null;
  /** The setup page's address for other devices on the LAN (with the setup code while there is one). */
  setupUrl: string;
  storage: LedgerStore;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function openStorage(options: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'databaseSchema'>): LedgerStore {
  if (options.databaseUrl) {
    return new PostgresStore({
      connectionString: options.databaseUrl,
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
    });
  }
  return new SqliteStore(join(options.dataDir ?? 'data', 'perpetua.sqlite'));
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger(options.logLevel ?? 'info');
  const storage = openStorage(options);
  await storage.migrate();
  const demo = options.demo ?? false;
  const setup = await ensureStore(storage, {
    ...(demo ? { storeId: DEMO_STORE_ID, storeName: 'Demo grocery' } : {}),
    ...(options.storeName ? { storeName: options.storeName } : {}),
    now: new Date(),
  });
  if (demo && setup.store.id === DEMO_STORE_ID) await seedDemoStore(storage);

  const handle = createApp({
    store: storage,
    log,
    auditLog: options.auditLog ?? NO_AUDIT_LOG,
    demo,
    storeId: setup.store.id,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    serveStatic: options.staticDir ? createStaticHandler(options.staticDir) : null,
    now: () => new Date(),
    ...(options.valuation ? { valuation: options.valuation } : {}),
  });

  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;
  const names = options.https ? (options.https.names ?? (() => machineNames())) : () => machineNames();
  let httpPort = options.port ?? 0;
  let https: RunningServer['https'] = null;
  const setupContext: SetupContext = {
    storeName: setup.store.name,
    httpPort: () => httpPort,
    https: () => https,
    publicUrl: options.publicUrl ?? null,
  };
  const handleSetup = createSetupRoutes(setupContext, names);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    if (handleSetup(req, res, new URL(req.url ?? '/', 'http://localhost'))) return;
    void handle(req, res);
  };
  const hosts = typeof options.host === 'string' ? [options.host] : options.host?.length ? [...options.host] : ['127.0.0.1'];
  const listeners: (Server | HttpsServer)[] = [];
  for (const host of hosts) {
    const server = createServer(onRequest);
    await listen(server, httpPort, host);
    httpPort = (server.address() as AddressInfo).port;
    listeners.push(server);
  }
  const port = httpPort;
  const firstHost = hosts[0] ?? '127.0.0.1';
  const host = firstHost !== '0.0.0.0' && firstHost !== '::' ? firstHost : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  if (options.https) {
    const httpsOptions = options.https;
    const now = httpsOptions.now ?? (() => new Date());
    const loadCredentials = () =>
      httpsOptions.certificateFile && httpsOptions.keyFile
        ? ownCredentials(httpsOptions.certificateFile, httpsOptions.keyFile)
        : storeIssuedCredentials({ dataDir: options.dataDir ?? 'data', storeName: setup.store.name, now: now(), names: names() });
    let credentials = await loadCredentials();
    const secureServers: HttpsServer[] = [];
    let httpsPort = httpsOptions.port ?? 0;
    for (const listenHost of hosts) {
      const server = createHttpsServer({ key: credentials.key, cert: credentials.cert }, onRequest);
      await listen(server, httpsPort, listenHost);
      httpsPort = (server.address() as AddressInfo).port;
      secureServers.push(server);
    }
    listeners.push(...secureServers);
    https = { url: `https://${host.includes(':') ? `[${host}]` : host}:${httpsPort}`, port: httpsPort, credentials };
    log.info('https started', { url: https.url, certificate: credentials.source, issued: credentials.issued, validUntil: credentials.notAfter.toISOString() });
    // A server runs for months: renew, or follow a new address, without a restart.
    refreshTimer = setInterval(() => {
      void loadCredentials()
        .then((next) => {
          if (next.cert === credentials.cert && next.key === credentials.key) return;
          credentials = next;
          for (const server of secureServers) server.setSecureContext({ key: next.key, cert: next.cert });
          if (https) https = { ...https, credentials: next };
          log.info('https certificate replaced', { certificate: next.source, issued: next.issued, validUntil: next.notAfter.toISOString() });
        })
        .catch((error: unknown) => log.error('https certificate check failed', describeError(error)));
    }, httpsOptions.refreshIntervalMs ?? 10 * 60 * 1000);
    refreshTimer.unref();
  }
  for (const server of listeners) {
    server.keepAliveTimeout = 65_000;
    server.requestTimeout = 60_000;
  }
  log.info('server started', { url, engine: storage.engine, storeId: setup.store.id, demo });

  let closed: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing = true;
    clearInterval(refreshTimer);
    const stopped = Promise.all(listeners.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    for (const server of listeners) server.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, options.shutdownTimeoutMs ?? 10_000).unref()),
      ]);
    }
    for (const server of listeners) server.closeAllConnections();
    await stopped;
    await storage.close();
    log.info('server stopped', { url });
  }

  return {
    url,
    port,
    storeId: setup.store.id,
    setupCode: setup.setupCode,
    get https() {
      return https;
    },
    setupUrl: setupUrl(setupContext, names(), setup.setupCode),
    storage,
    close: () => (closed ??= close().catch((error: unknown) => log.error('shutdown failed', describeError(error)))),
  };
}

function listen(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The demo store's seed (products, opening stock) lives on the server so every device pulls it. */
async function seedDemoStore(storage: LedgerStore): Promise<void> {
  const rows = demoSeedEvents().map((event) => eventRowOf(event, canonicalJson(event)));
  await storage.appendEvents(rows, new Date().toISOString());
}
