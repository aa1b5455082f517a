/**
 * `npm start`: serves the built app and the sync API.
 *
 *   PORT=8080             listening port (all interfaces, so the store's tablets can reach it)
 *   HTTPS_PORT=8443       HTTPS port, with the store's own certificate (DATA_DIR/tls); HTTPS=0 turns it off
 *   TLS_CERT, TLS_KEY     PEM files of a certificate for a real domain, instead of the store's own
 *   PUBLIC_URL            the app's https:// address behind a reverse proxy (the setup page links there)
 *   HOST=0.0.0.0          listening address
 *   DATA_DIR=./data       where the SQLite file lives
 *   DATABASE_URL=postgres://…   use PostgreSQL instead (several processes may share it)
 *   DATABASE_SCHEMA=name  PostgreSQL schema instead of public (tests isolate themselves this way)
 *   PERPETUA_DEMO=1|0     demo store; browsers on this computer pair without a code. On by default unless
 *                         NODE_ENV=production. Never expose a demo server to strangers.
 *   PERPETUA_VALUATION=fifo  valuation of the read endpoints until the store's owner chooses one: fifo | average
 *   LOG_LEVEL=info        debug | info | warn | error | silent
 *   STATIC_DIR=./dist     the built app
 *   PERPETUA_AUDIT_LOG=DATA_DIR/audit.log  the audit log (JSON lines); 0 turns it off
 *   PERPETUA_TRUST_PROXY=1  believe X-Forwarded-For/-Proto (only behind your own reverse proxy)
 *
 * SIGINT/SIGTERM finish the requests in flight, then exit.
 */
import { join } from 'node:path';
import { renderUnicodeCompact } from 'uqr';
import { createFileAuditLog, createLogger, describeError, isLogLevel, type AuditLog } from './log.ts';
import { startServer, type HttpsOptions } from './server.ts';

const env = process.env;
const logLevel = isLogLevel(env.LOG_LEVEL) ? env.LOG_LEVEL : 'info';
const log = createLogger(logLevel);
const demo = env.PERPETUA_DEMO !== undefined ? env.PERPETUA_DEMO === '1' || env.PERPETUA_DEMO === 'true' : env.NODE_ENV !== 'production';

/** HTTPS from the environment, or a sentence saying what is wrong with it. */
function httpsFromEnv(): HttpsOptions | false {
  if (env.HTTPS === '0' || env.HTTPS === 'false') return false;
  if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) {
    throw new Error('Set both TLS_CERT (the certificate’s PEM file) and TLS_KEY (its private key), or neither to use the store’s own certificate.');
  }
  return {
    port: env.HTTPS_PORT !== undefined ? Number(env.HTTPS_PORT) : 8443,
    ...(env.TLS_CERT && env.TLS_KEY ? { certificateFile: env.TLS_CERT, keyFile: env.TLS_KEY } : {}),
  };
}

/** The audit log file: DATA_DIR/audit.log unless PERPETUA_AUDIT_LOG names another file or is 0. */
function auditLogFromEnv(): (AuditLog & { close(): void }) | null {
  const setting = env.PERPETUA_AUDIT_LOG;
  if (setting === '0' || setting === 'false' || setting === 'off') return null;
  return createFileAuditLog(setting || join(env.DATA_DIR ?? 'data', 'audit.log'));
}

const isOn = (value: string | undefined) => value === '1' || value === 'true';

try {
  const auditLog = auditLogFromEnv();
  const server = await startServer({
    port: env.PORT !== undefined ? Number(env.PORT) : 8080,
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.DATA_DIR ?? 'data',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.DATABASE_SCHEMA ? { databaseSchema: env.DATABASE_SCHEMA } : {}),
    staticDir: env.STATIC_DIR ?? 'dist',
    demo,
    ...(env.PERPETUA_VALUATION === 'average' ? { valuation: 'average' as const } : {}),
    https: httpsFromEnv(),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
    logger: log,
    ...(auditLog ? { auditLog } : {}),
    trustProxy: isOn(env.PERPETUA_TRUST_PROXY),
  });
  // The lines meant for people rather than a log index: where to open the app, how to pair.
  process.stdout.write(
    `\nPerpetua is running: open http://localhost:${server.port} in a browser.\n` +
      (server.https ? `HTTPS for the shop's network: port ${server.https.port} (${server.https.credentials.source === 'own' ? 'your certificate' : 'the store’s own certificate'}).\n` : ''),
  );
  if (server.setupCode) {
    process.stdout.write(
      `\nPerpetua store ${server.storeId} is ready.\nEnter this one-time setup code on the owner's first device: ${server.setupCode}\n` +
        (demo ? '(Demo mode: a browser on this computer may also pair without a code.)\n' : '') +
        '\n',
    );
  }
  if (server.https || env.PUBLIC_URL) {
    process.stdout.write(
      `Tablets and phones on the shop's network: open ${server.setupUrl}\n` +
        `or scan this code with the device's camera${server.setupCode ? ' (it carries the setup code)' : ''}:\n\n` +
        `${renderUnicodeCompact(server.setupUrl, { border: 1 })}\n\n`,
    );
  }
  // Printed whatever LOG_LEVEL says: people and test harnesses need the address.
  createLogger('info').info('listening', { url: server.url, port: server.port, storeId: server.storeId });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    void server.close().then(() => {
      auditLog?.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  log.error('server failed to start', describeError(error));
  process.exit(1);
}
