/**
 * `startServer` builds the storage, the store and the HTTP server. main.ts is a thin CLI over it;
 * tests start the real thing on an ephemeral loopback port.
 *
 * Graceful shutdown: stop accepting connections, let the requests in flight (a push batch being
 * committed) finish and reply, then close the storage. Idle keep-alive sockets are closed at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { join } from 'node:path';
import { DEMO_STORE_ID } from '../domain/demo-store.ts';
import { demoSeedEvents } from '../domain/demo-catalog.ts';
import { createApp } from './app.ts';
import { canonicalJson } from './canonical-json.ts';
import { ensureStore, SETUP_CODE_TTL_MS } from './enrollment.ts';
import { DEFAULT_BODY_IDLE_TIMEOUT_MS } from './http-util.ts';
import { CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers.ts';
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
  /** Believe X-Forwarded-For / X-Forwarded-Proto from a reverse proxy (PERPETUA_TRUST_PROXY=1). */
  trustProxy?: boolean;
  /** Against slow clients (each answered 408, nothing stored); tests shorten them. */
  timeouts?: Partial<ServerTimeouts>;
}

export interface ServerTimeouts {
  /** All request headers must arrive within this (Node's server.headersTimeout). */
  headersMs: number;
  /** The whole request, headers and body, within this (Node's server.requestTimeout). */
  requestMs: number;
  /** The body may pause this long between two pieces (readBody). */
  bodyIdleMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 20_000,
  requestMs: 120_000,
  bodyIdleMs: DEFAULT_BODY_IDLE_TIMEOUT_MS,
};

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
  const auditLog = options.auditLog ?? NO_AUDIT_LOG;
  if (setup.setupCode) {
    auditLog.record('pairing-code-created', { by: 'server start', role: 'owner', expiresAt: new Date(Date.now() + SETUP_CODE_TTL_MS).toISOString() });
  }
  const trustProxy = options.trustProxy ?? false;
  const timeouts: ServerTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };

  const handle = createApp({
    store: storage,
    log,
    auditLog,
    trustProxy,
    bodyIdleTimeoutMs: timeouts.bodyIdleMs,
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
    for (const [name, value] of Object.entries(securityHeaders(req, trustProxy))) res.setHeader(name, value);
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    if (handleSetup(req, res, new URL(req.url ?? '/', 'http://localhost'))) return;
    void handle(req, res);
  };
  const hosts = typeof options.host === 'string' ? [options.host] : options.host?.length ? [...options.host] : ['127.0.0.1'];
  const listeners: (Server | HttpsServer)[] = [];
  // Node checks for expired headers and requests on this beat: often enough for the shortest timeout.
  const connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
  for (const host of hosts) {
    const server = createServer({ connectionsCheckingInterval }, onRequest);
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
      const server = createHttpsServer({ key: credentials.key, cert: credentials.cert, connectionsCheckingInterval }, onRequest);
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
    server.headersTimeout = timeouts.headersMs;
    server.requestTimeout = timeouts.requestMs;
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, log, auditLog));
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

/**
 * Requests Node refuses before any route sees them: headers or a whole request too slow (408), headers
 * too large (431), or not HTTP (400). Answered with a sentence and the security headers, then closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket, log: Logger, auditLog: AuditLog): void {
  // A response already under way on this socket cannot take another in front of it (Node's own rule).
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  // A connection that sent not one byte before the header timeout is a browser's spare one (Chromium
  // opens a few ahead of need, and a tablet's first sync left one idle every time): closing it is
  // routine, not a refused request worth a warning or an audit line.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.bytesRead === 0) {
    socket.destroy();
    return;
  }
  const [status, text, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'The request did not arrive in time (headers or body too slow), so the server gave up and stored nothing. Check the connection and send it again.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request headers are too large; send fewer or shorter headers.']
        : [400, 'Bad Request', 'This is not a well-formed HTTP request.'];
  const address = socket.remoteAddress ?? 'unknown';
  log.warn('request refused before routing', { status, code: error.code, address });
  auditLog.record('request-refused', { route: null, status, address, reason: error.code ?? 'client-error' });
  const body = JSON.stringify({ error: message });
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${head}\r\n\r\n${body}`);
}
