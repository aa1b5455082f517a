/**
 * `startServer` builds the storage, the store and the HTTP server. main.ts is a thin CLI over it;
 * tests start the real thing on an ephemeral loopback port.
 *
 * Graceful shutdown: stop accepting connections, let the requests in flight (a push batch being
 * committed) finish and reply, then close the storage. Idle keep-alive sockets are closed at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_STORE_ID, demoSeedEvents } from '../domain/demo-store.ts';
import { createApp } from './app.ts';
import { canonicalJson } from './canonical-json.ts';
import { ensureStore } from './enrollment.ts';
import { createLogger, describeError, type Logger, type LogLevel } from './log.ts';
import { PostgresStore } from './storage/postgres.ts';
import { SqliteStore } from './storage/sqlite.ts';
import { eventRowOf, type LedgerStore } from './storage/store.ts';
import type { ValuationMethod } from '../domain/index.ts';
import { createStaticHandler } from './static-files.ts';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default; main.ts listens on all interfaces so tablets on the LAN can reach it. */
  host?: string;
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
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('server started', { url, engine: storage.engine, storeId: setup.store.id, demo });

  let closed: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, options.shutdownTimeoutMs ?? 10_000).unref()),
      ]);
    }
    server.closeAllConnections();
    await stopped;
    await storage.close();
    log.info('server stopped', { url });
  }

  return {
    url,
    port,
    storeId: setup.store.id,
    setupCode: setup.setupCode,
    storage,
    close: () => (closed ??= close().catch((error: unknown) => log.error('shutdown failed', describeError(error)))),
  };
}

/** The demo store's seed (products, opening stock) lives on the server so every device pulls it. */
async function seedDemoStore(storage: LedgerStore): Promise<void> {
  const rows = demoSeedEvents().map((event) => eventRowOf(event, canonicalJson(event)));
  await storage.appendEvents(rows, new Date().toISOString());
}
