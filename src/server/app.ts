/**
 * The HTTP API (node:http, no framework: the routes are few and the push path is hot).
 *
 *   GET  /api/health                 {ok: true}
 *   GET  /api/v1/enrollment          {demo, codeless}: a demo store; whether this caller may enroll without a code
 *   POST /api/v1/devices/enroll      {pairingCode?, deviceName, deviceId?, onlyStoreId?} -> {deviceId, token, storeId, role}
 *   GET  /api/v1/me                  the calling device
 *   POST /api/v1/pairing-codes       owner only -> {code, expiresAt}
 *   POST /api/v1/sync/push           {events} -> per-event accepted | duplicate | rejected
 *   GET  /api/v1/sync/pull           ?after=<cursor>&limit=<n>[&count=1] -> {events, cursor, hasMore[, remaining]}
 *   GET  /api/v1/stock | valuation | journal   projections computed with src/domain
 *   GET  /api/v1/owner-figures       owner only; ?from=&to= -> the Today screen's sales, stock health and alerts
 *   GET  /api/v1/exports/<name>      owner only; ?from=&to= (or ?at= for stock-valuation, ?location= for the catalog's reorder levels, ?member= for the audit trail), ?part=N -> text/csv
 *   GET  /api/v1/devices             owner only -> {devices: [...]} every paired device with its figures
 *   POST /api/v1/devices/<id>/revoke owner only -> {device, eventsNeverReceived}; its token stops working at once
 *
 * Everything else is the built app (static-files.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hashSecret, normalizePairingCode } from './credentials.ts';
import { enrollDevice, isLoopbackAddress, issuePairingCode, PAIRING_CODE_TTL_MS, parseEnrollRequest } from './enrollment.ts';
import { HttpError, readJson, sendCompressible, sendError, sendJson, sendJsonBytes } from './http-util.ts';
import { describeError, type AuditLog, type Logger } from './log.ts';
import { needsStaffView, parsePushBody, rowsOfBatch } from './push-batch.ts';
import { createFailureLimiter, ENROLLMENT_FAILURE_LIMIT, ENROLLMENT_FAILURE_WINDOW_MS } from './rate-limit.ts';
import { createReadModel } from './read-model.ts';
import { clientAddress } from './request-origin.ts';
import { contactNeedsWrite, eventsNotSeen, parseCursor, type DeviceFigures, type DeviceRecord, type LedgerStore } from './storage/store.ts';
import type { ValuationMethod } from '../domain/index.ts';
import { EXPORT_NAMES, isExportName } from '../domain/exports/index.ts';

export const DEFAULT_PULL_LIMIT = 1000;
/**
 * 20,000 events a page (about 12 MB of JSON, 1 MB in Brotli; PULL_PAGE_MAX_BYTES still caps it):
 * a new device pays a fixed cost per page (a request, an IndexedDB transaction, a fold of what came),
 * and with pages of 5,000 a store of 1,000,000 events took 123 s to pull here, with 20,000 53 s
 * (bench/README.md, "New device in a big store"). Larger pages gained nothing more.
 */
export const MAX_PULL_LIMIT = 20000;

export interface AppContext {
  store: LedgerStore;
  log: Logger;
  /** Enrollments, pairing codes, revocations and refused requests (issue 17): JSON lines. */
  auditLog: AuditLog;
  demo: boolean;
  storeId: string;
  bodyLimitBytes: number;
  serveStatic: ((req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>) | null;
  now: () => Date;
  valuation?: ValuationMethod;
  /** X-Forwarded-For / X-Forwarded-Proto are believed only when true (PERPETUA_TRUST_PROXY=1). */
  trustProxy?: boolean;
  /** How long a request body may pause before it is refused with 408 (http-util.ts has the default). */
  bodyIdleTimeoutMs?: number;
}

/** Refusals on API routes that go into the audit log (a 404 or 405 is a wrong address, not a refusal). */
const AUDITED_STATUSES = new Set([400, 401, 403, 408, 413, 415, 422, 429]);

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** The header in which a device says, on each push and pull, the highest own seq it has recorded. */
export const DEVICE_SEQ_HEADER = 'x-perpetua-device-seq';
/** A pull page's end cursor and whether more follow, as in its body (src/sync/transport.ts reads them). */
export const PULL_CURSOR_HEADER = 'x-perpetua-pull-cursor';
export const PULL_HAS_MORE_HEADER = 'x-perpetua-pull-has-more';
/** With `count=1`: the events of this page and of all after it, so a device can say "0 of N" before the body. */
export const PULL_TOTAL_HEADER = 'x-perpetua-pull-total';

const REVOKE_PATH = /^\/api\/v1\/devices\/([^/]+)\/revoke$/;

export const DEVICE_REVOKED_CODE = 'device-revoked';
export const DEVICE_REVOKED_MESSAGE = 'This device was revoked by the store’s owner: ask the owner to pair it again.';

/** The header's seq, or null when absent or not a whole number (an old app, a bad value: ignored, never refused). */
export function reportedSeqOf(req: IncomingMessage): number | null {
  const text = req.headers[DEVICE_SEQ_HEADER];
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

/** A path segment as sent, decoded; a malformed escape stays as it is (and matches no device). */
function decodedPathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A device as GET /api/v1/devices shows it. */
export function deviceView(device: DeviceFigures) {
  return {
    id: device.id,
    name: device.name,
    role: device.role,
    createdAt: device.createdAt,
    lastSyncAt: device.lastSeenAt,
    revokedAt: device.revokedAt,
    eventsReceived: device.eventsReceived,
    eventsNotSeen: eventsNotSeen(device),
  };
}

export function createApp(ctx: AppContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const readModel = createReadModel(ctx.store, ctx.valuation);
  const trustProxy = ctx.trustProxy ?? false;
  // Wrong pairing codes, counted per client address and per presented code (rate-limit.ts).
  const pairingFailures = createFailureLimiter({ limit: ENROLLMENT_FAILURE_LIMIT, windowMs: ENROLLMENT_FAILURE_WINDOW_MS });
  /** The device each request authenticated as, for the audit line of a refusal. */
  const deviceOfRequest = new WeakMap<IncomingMessage, DeviceRecord>();
  const originOf = (req: IncomingMessage) => ({ address: clientAddress(req, trustProxy), userAgent: req.headers['user-agent'] ?? '' });
  const readBodyJson = (req: IncomingMessage, limitBytes: number) => readJson(req, limitBytes, ctx.bodyIdleTimeoutMs);

  /** Refuses (429) while the key has used up its failures in the window. */
  function checkPairingFailures(key: string, what: string): void {
    const waitMs = pairingFailures.blockedForMs(key, ctx.now().getTime());
    if (waitMs === 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    const minutes = Math.ceil(seconds / 60);
    throw new HttpError(
      429,
      `Too many wrong pairing codes ${what}: ${ENROLLMENT_FAILURE_LIMIT} in ${ENROLLMENT_FAILURE_WINDOW_MS / 60_000} minutes. Try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}, with a code from the owner’s device (Settings → Server and sync → Create pairing code).`,
      { reason: 'too-many-attempts', retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }

  function bearerToken(req: IncomingMessage): string | null {
    const header = req.headers.authorization;
    return (header ? /^Bearer\s+(\S+)$/i.exec(header) : null)?.[1] ?? null;
  }

  /**
   * One indexed lookup per request, no cache: a revocation (or a new token) made through any server
   * process counts on the very next request to every process.
   */
  async function authenticateStanding(req: IncomingMessage) {
    const token = bearerToken(req);
    if (!token) {
      throw new HttpError(401, 'A device token is required: send the header Authorization: Bearer <token> from enrollment.');
    }
    const found = await ctx.store.findDeviceStandingByTokenHash(hashSecret(token));
    if (!found) throw new HttpError(401, 'This device token is not valid; enroll the device again.');
    const { revokedAt, lastSeenAt, reportedSeq, ...device } = found;
    if (revokedAt !== null) throw new HttpError(401, DEVICE_REVOKED_MESSAGE, { code: DEVICE_REVOKED_CODE });
    // For the audit log's line about a refused request, after the handler has thrown.
    deviceOfRequest.set(req, device as DeviceRecord);
    return { device: device as DeviceRecord, standing: { revokedAt, lastSeenAt, reportedSeq } };
  }

  async function authenticate(req: IncomingMessage): Promise<DeviceRecord> {
    return (await authenticateStanding(req)).device;
  }

  /** Push and pull: the device is in contact; noted at most once a minute unless it reports a higher seq. */
  async function authenticateSync(req: IncomingMessage): Promise<DeviceRecord> {
    const { device, standing } = await authenticateStanding(req);
    const now = ctx.now().toISOString();
    const reported = reportedSeqOf(req);
    if (contactNeedsWrite(standing, now, reported)) await ctx.store.noteDeviceContact(device.id, now, reported);
    return device;
  }

  const routes: Record<string, Handler> = {
    'GET /api/health': async (_req, res) => sendJson(res, 200, { ok: true }),

    'GET /api/v1/enrollment': async (req, res) =>
      sendJson(res, 200, { demo: ctx.demo, codeless: ctx.demo && isLoopbackAddress(clientAddress(req, trustProxy)) }),

    'POST /api/v1/devices/enroll': async (req, res) => {
      const origin = originOf(req);
      try {
        const addressKey = `address:${origin.address}`;
        checkPairingFailures(addressKey, 'from this address');
        const request = parseEnrollRequest(await readBodyJson(req, 16 * 1024));
        const codeKey = request.pairingCode ? `code:${hashSecret(normalizePairingCode(request.pairingCode))}` : null;
        if (codeKey) checkPairingFailures(codeKey, 'for this code');
        const enrollment = await enrollDevice(ctx.store, request, {
          demo: ctx.demo,
          // Behind a trusted proxy on this computer the socket is always loopback: ask for the client's address.
          fromThisComputer: isLoopbackAddress(origin.address),
          demoStoreId: ctx.storeId,
          now: ctx.now(),
          presentedToken: bearerToken(req),
        }).catch((error: unknown) => {
          // A wrong code (unknown, expired or used) counts against the address and the code.
          if (error instanceof HttpError && error.status === 401) {
            const nowMs = ctx.now().getTime();
            pairingFailures.recordFailure(addressKey, nowMs);
            if (codeKey) pairingFailures.recordFailure(codeKey, nowMs);
          }
          throw error;
        });
        const { again, ...answer } = enrollment;
        ctx.log.info(again ? 'device paired again' : 'device enrolled', { deviceId: answer.deviceId, role: answer.role, name: request.deviceName });
        ctx.auditLog.record(again ? 'device-paired-again' : 'device-enrolled', {
          deviceId: answer.deviceId,
          role: answer.role,
          name: request.deviceName,
          ...origin,
        });
        sendJson(res, again ? 200 : 201, answer);
      } catch (error) {
        if (error instanceof HttpError) {
          // The reason's code where there is one: a JSON parser's message may quote the body, code and all.
          const reason = typeof error.details?.reason === 'string' ? error.details.reason : error.message;
          ctx.log.warn('enrollment refused', { status: error.status, reason, ...origin });
          ctx.auditLog.record('enrollment-refused', { status: error.status, reason, ...origin });
        }
        throw error;
      }
    },

    'GET /api/v1/me': async (req, res) => sendJson(res, 200, await authenticate(req)),

    'POST /api/v1/pairing-codes': async (req, res) => {
      const device = await authenticate(req);
      if (device.role !== 'owner') throw new HttpError(403, 'Only the owner’s device can create pairing codes.');
      req.resume();
      const code = await issuePairingCode(ctx.store, device.storeId, 'staff', ctx.now(), PAIRING_CODE_TTL_MS);
      ctx.auditLog.record('pairing-code-created', { deviceId: device.id, role: 'staff', expiresAt: code.expiresAt, ...originOf(req) });
      sendJson(res, 201, code);
    },

    'POST /api/v1/sync/push': async (req, res) => {
      const started = performance.now();
      const device = await authenticateSync(req);
      const batch = parsePushBody(await readBodyJson(req, ctx.bodyLimitBytes), device);
      // Plain sales need no privilege: only a batch that might is judged by the store's staff.
      const rows = rowsOfBatch(batch, needsStaffView(batch) ? await readModel.staffView(device.storeId) : undefined);
      const results = await ctx.store.appendEvents(rows, ctx.now().toISOString());
      const counts = { accepted: 0, duplicate: 0, rejected: 0 };
      for (const result of results) counts[result.status] += 1;
      ctx.log.debug('push', { deviceId: device.id, events: rows.length, ...counts, ms: Math.round(performance.now() - started) });
      if (counts.rejected > 0) {
        ctx.log.warn('push rejected events', {
          deviceId: device.id,
          rejected: results.filter((r) => r.status === 'rejected'),
        });
      }
      sendJson(res, 200, { results, ...counts });
    },

    'GET /api/v1/sync/pull': async (req, res, url) => {
      const device = await authenticateSync(req);
      const after = url.searchParams.get('after') ?? '0';
      if (parseCursor(after) === null) {
        throw new HttpError(400, `after must be a cursor returned by an earlier pull (a whole number), got "${after}".`);
      }
      const limitText = url.searchParams.get('limit');
      const limit = limitText === null ? DEFAULT_PULL_LIMIT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
        throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_PULL_LIMIT}, got "${limitText}".`);
      }
      // `count=1` (a run's first page): how many follow, so a new device can show "X of Y". Counted
      // once per run, not per page: on a store of 1,000,000 events a count is an index scan.
      const countRemaining = url.searchParams.get('count') === '1';
      // Stored events are canonical JSON already: splice them in rather than parse and re-serialise.
      if (ctx.store.pullEventsJoined) {
        const page = await ctx.store.pullEventsJoined(device.storeId, after, limit);
        const left = countRemaining ? await ctx.store.countEvents(device.storeId, page.nextCursor) : undefined;
        const remaining = left === undefined ? '' : `,"remaining":${left}`;
        sendJsonBytes(
          res,
          200,
          [Buffer.from('{"events":['), page.joined, Buffer.from(`],"cursor":${JSON.stringify(page.nextCursor)},"hasMore":${page.hasMore}${remaining}}`)],
          pageHeaders(page, left === undefined ? undefined : page.count + left),
        );
        return;
      }
      const page = await ctx.store.pullEvents(device.storeId, after, limit);
      const left = countRemaining ? await ctx.store.countEvents(device.storeId, page.nextCursor) : undefined;
      const remaining = left === undefined ? '' : `,"remaining":${left}`;
      sendJsonBytes(
        res,
        200,
        [Buffer.from(`{"events":[${page.events.join(',')}],"cursor":${JSON.stringify(page.nextCursor)},"hasMore":${page.hasMore}${remaining}}`)],
        pageHeaders(page, left === undefined ? undefined : page.events.length + left),
      );
    },

    'GET /api/v1/stock': async (req, res) => sendJson(res, 200, await readModel.stock(await authenticate(req))),
    'GET /api/v1/valuation': async (req, res) => sendJson(res, 200, await readModel.valuation(await authenticate(req))),
    'GET /api/v1/journal': async (req, res) => sendJson(res, 200, await readModel.journal(await authenticate(req))),
    'GET /api/v1/owner-figures': async (req, res, url) => {
      const device = await authenticate(req);
      if (device.role !== 'owner') throw new HttpError(403, 'Only the owner’s device can read the owner’s figures: they show costs and margins. Ask the owner.');
      const result = await readModel.ownerFigures(device, { from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' }, Date.now());
      if (!result.ok) throw new HttpError(400, result.error);
      sendJson(res, 200, result.body);
    },

    'GET /api/v1/devices': async (req, res) => {
      const device = await authenticate(req);
      if (device.role !== 'owner') throw new HttpError(403, 'Only the owner’s device can list the store’s devices. Ask the owner.');
      sendJson(res, 200, { devices: (await ctx.store.listDevices(device.storeId)).map(deviceView) });
    },

    // POST /api/v1/devices/<id>/revoke: the id is taken from the path (see the lookup below).
    'POST /api/v1/devices/revoke': async (req, res, url) => {
      const owner = await authenticate(req);
      req.resume();
      if (owner.role !== 'owner') throw new HttpError(403, 'Only the owner’s device can revoke devices. Ask the owner.');
      const deviceId = decodedPathPart(REVOKE_PATH.exec(url.pathname)?.[1] ?? '');
      if (deviceId === owner.id) {
        throw new HttpError(400, 'This is the device you are using: it cannot revoke itself. Revoke it from another owner’s device, or clear its site data.');
      }
      const revoked = await ctx.store.revokeDevice(owner.storeId, deviceId, ctx.now().toISOString());
      if (!revoked) throw new HttpError(404, `This store has no device "${deviceId}": reload the list of devices.`);
      const view = deviceView(revoked);
      ctx.auditLog.record('device-revoked', {
        storeId: owner.storeId,
        deviceId: revoked.id,
        deviceName: revoked.name,
        role: revoked.role,
        byDeviceId: owner.id,
        eventsNeverReceived: view.eventsNotSeen,
      });
      ctx.log.info('device revoked', { deviceId: revoked.id, name: revoked.name, byDeviceId: owner.id, eventsNeverReceived: view.eventsNotSeen });
      sendJson(res, 200, { device: view, eventsNeverReceived: view.eventsNotSeen });
    },

    // One route for every export: the name is the last part of the path (see the lookup below).
    'GET /api/v1/exports': async (req, res, url) => {
      const device = await authenticate(req);
      if (device.role !== 'owner') throw new HttpError(403, 'Only the owner’s device can download exports: they show costs and the books. Ask the owner.');
      const name = url.pathname.slice('/api/v1/exports/'.length);
      if (!isExportName(name)) throw new HttpError(404, `There is no export "${name}": use one of ${EXPORT_NAMES.join(', ')}.`);
      const param = (key: string) => url.searchParams.get(key) ?? undefined;
      const from = param('from');
      const to = param('to');
      const at = param('at');
      const location = param('location');
      const member = param('member');
      const result = await readModel.exportFiles(device, name, {
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(at === undefined ? {} : { at }),
        ...(location === undefined ? {} : { location }),
        ...(member === undefined ? {} : { member }),
      });
      if (!result.ok) throw new HttpError(400, result.error);
      const partText = param('part') ?? '1';
      const part = Number(partText);
      if (!Number.isInteger(part) || part < 1 || part > result.files.length) {
        throw new HttpError(400, `part must be a whole number from 1 to ${result.files.length} (the X-Export-Parts header says how many), got "${partText}".`);
      }
      const file = result.files[part - 1];
      if (!file) throw new HttpError(400, `There is no part ${part}.`);
      // A year's journal is megabytes of CSV: compressed like the JSON replies (Brotli 1 or gzip 1).
      sendCompressible(
        res,
        200,
        {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${file.filename}"`,
          'cache-control': 'no-store',
          'x-export-part': String(part),
          'x-export-parts': String(result.files.length),
          'x-export-rows': String(file.rows),
          'access-control-expose-headers': 'content-disposition, x-export-part, x-export-parts, x-export-rows',
        },
        Buffer.from(file.text, 'utf8'),
      );
    },
  };

  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    try {
      if (isApi) {
        // Bearer tokens, not cookies: allowing any origin cannot leak a session.
        res.setHeader('access-control-allow-origin', '*');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'access-control-allow-methods': 'GET, POST, OPTIONS',
            'access-control-allow-headers': `authorization, content-type, ${DEVICE_SEQ_HEADER}`,
            'access-control-max-age': '86400',
          });
          res.end();
          return;
        }
        const path = url.pathname.startsWith('/api/v1/exports/') ? '/api/v1/exports' : REVOKE_PATH.test(url.pathname) ? '/api/v1/devices/revoke' : url.pathname;
        const route = routes[`${req.method} ${path}`];
        if (!route) {
          const known = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
          throw known
            ? new HttpError(405, `${req.method} is not allowed on ${url.pathname}.`)
            : new HttpError(404, `There is no API endpoint ${url.pathname}.`);
        }
        await route(req, res, url);
        return;
      }
      if (ctx.serveStatic) {
        await ctx.serveStatic(req, res, url.pathname);
        return;
      }
      throw new HttpError(404, 'This server has no static app directory configured.');
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status >= 500) ctx.log.error('request failed', { path: url.pathname, ...describeError(error) });
        else ctx.log.info('request refused', { method: req.method, path: url.pathname, status: error.status, error: error.message });
        // Enrollment refusals have their own line (enrollment-refused).
        if (isApi && AUDITED_STATUSES.has(error.status) && url.pathname !== '/api/v1/devices/enroll') {
          const device = deviceOfRequest.get(req);
          ctx.auditLog.record('request-refused', {
            method: req.method,
            route: url.pathname,
            status: error.status,
            ...originOf(req),
            ...(device ? { deviceId: device.id } : {}),
            reason: typeof error.details?.reason === 'string' ? error.details.reason : error.message,
          });
        }
        // The rest of a body that timed out or was too large is never read: close the connection after the answer.
        if (error.status === 408 || error.status === 413) res.setHeader('connection', 'close');
        if (!res.headersSent) sendError(res, error);
        else res.destroy();
        return;
      }
      ctx.log.error('request failed', { method: req.method, path: url.pathname, ...describeError(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'The server failed to handle this request; it was not stored. Try again later.' });
      else res.destroy();
    }
  };
}

/**
 * A pull page's end in its headers (PULL_CURSOR_HEADER, PULL_HAS_MORE_HEADER), as in its body: the
 * device asks for the next page as soon as these arrive, while this page's body still comes in and
 * is read (src/sync/pull.ts). A counted page (a run's first) says its run's total there too
 * (PULL_TOTAL_HEADER). Exposed, as the API answers any origin.
 */
function pageHeaders(page: { nextCursor: string; hasMore: boolean }, total: number | undefined): Record<string, string> {
  return {
    [PULL_CURSOR_HEADER]: page.nextCursor,
    [PULL_HAS_MORE_HEADER]: String(page.hasMore),
    ...(total === undefined ? {} : { [PULL_TOTAL_HEADER]: String(total) }),
    'access-control-expose-headers': `${PULL_CURSOR_HEADER}, ${PULL_HAS_MORE_HEADER}, ${PULL_TOTAL_HEADER}`,
  };
}
