/**
 * Fuzzing the real server (issue 17): generated requests against push, pull, enroll and the read
 * endpoints — malformed JSON, wrong types, huge numbers, deep nesting, prototype keys, other stores'
 * and devices' ids, huge and odd query parameters, valid events with one field broken, and plain
 * valid events so something gets stored. Shared by tests/server/fuzz.test.ts (1,500 requests) and
 * bench/server/fuzz.bench.ts (10,000 and more).
 *
 * The requests are drawn with fc.sample from one seed (printed on failure, so a run can be
 * repeated), then sent a few at a time; the server is stateful, so shrinking would not help.
 */
import fc from 'fast-check';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { Books, parseEvent, type LedgerEvent } from '../../src/domain/index.ts';
import { EXPORT_NAMES } from '../../src/domain/exports/index.ts';
import { saleEvent } from './fixtures.ts';
import type { EnrolledDevice } from './harness.ts';

export interface FuzzTarget {
  url: string;
  owner: EnrolledDevice;
  staff: EnrolledDevice;
}

export interface FuzzRequest {
  /** What the generator meant to test, for the report of a failure. */
  kind: string;
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  localAddress?: string;
}

export interface FuzzAnswer {
  status: number;
  ms: number;
  /** Events the server said it accepted (push only). */
  accepted: number;
  error?: string;
}

// ---- values -------------------------------------------------------------------------------------

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 5e-324, -0, 0.1, 123456789012345680000);
const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'prototype', '\u0000', '\uD800', '🙂'.repeat(20), '../../etc/passwd', '<script>', "' OR 1=1 --"),
  fc.string({ minLength: 1000, maxLength: 5000 }),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  hugeNumber,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  oddString,
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A JSON text with a prototype key spliced in (JSON.stringify would drop or refuse it). */
function withKey(json: string, key: '__proto__' | 'constructor' | 'prototype', value: string): string {
  return json.startsWith('{') && json.length > 2 ? `{"${key}":${value},${json.slice(1)}` : json;
}

// ---- events -------------------------------------------------------------------------------------

const BROKEN_PATHS = [
  'id', 'schema', 'storeId', 'locationId', 'deviceId', 'seq', 'hlc', 'recordedAt', 'userId', 'currency', 'kind',
  'receiptNo', 'pricesIncludeTax', 'lines', 'lines.0', 'lines.0.qty', 'lines.0.unitPrice', 'lines.0.net', 'lines.0.tax',
  'lines.0.gross', 'lines.0.productId', 'lines.0.taxRateBp', 'lines.0.lineDiscount', 'lines.0.unit', 'totals', 'totals.gross',
  'totals.discount', 'tenders', 'tenders.0.method', 'tenders.0.amount', 'change', 'approvedBy', 'lines.0.listPrice',
] as const;

type Json = Record<string, unknown> | unknown[];

/** A copy of the event with the value at `path` replaced (or removed, for `undefined`). */
function breakField(event: LedgerEvent, path: string, value: unknown): unknown {
  const copy = structuredClone(event) as unknown as Json;
  const keys = path.split('.');
  let node: unknown = copy;
  for (const key of keys.slice(0, -1)) {
    node = (node as Record<string, unknown>)[key];
    if (typeof node !== 'object' || node === null) return copy;
  }
  const last = keys[keys.length - 1] ?? '';
  if (value === undefined) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
  return copy;
}

/** A valid sale from the device, numbered from a wide range so most are new and some repeat. */
function validSale(target: FuzzTarget, device: EnrolledDevice, seq: number, qty: number): LedgerEvent {
  return saleEvent({ storeId: target.owner.storeId, deviceId: device.deviceId, seq, qty, productId: `p-${seq % 7}` });
}

function eventArb(target: FuzzTarget, device: EnrolledDevice): fc.Arbitrary<{ kind: string; event: unknown }> {
  const seq = fc.integer({ min: 1, max: 5_000_000 });
  const qty = fc.integer({ min: 1, max: 5 });
  const sale = fc.tuple(seq, qty).map(([s, q]) => validSale(target, device, s, q));
  return fc.oneof(
    { weight: 3, arbitrary: sale.map((event) => ({ kind: 'valid event', event })) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(sale, fc.constantFrom(...BROKEN_PATHS), fc.oneof(oddValue, fc.constant(undefined)))
        .map(([event, path, value]) => ({ kind: `event with ${path} broken`, event: breakField(event, path, value) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(sale, fc.constantFrom('other-store', 'demo-store-2', '', target.owner.storeId.toUpperCase()))
        .map(([event, storeId]) => ({ kind: 'event of another store', event: { ...event, storeId } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(sale, fc.constantFrom(target.owner.deviceId, target.staff.deviceId, 'dev-unknown', 'demo-seed'))
        .map(([event, deviceId]) => ({ kind: 'event of another device', event: { ...event, deviceId } })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((event) => ({ kind: 'event of any JSON', event })) },
  );
}

// ---- requests -----------------------------------------------------------------------------------

const json = { 'content-type': 'application/json' };
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function tokenArb(target: FuzzTarget): fc.Arbitrary<OutgoingHttpHeaders> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(auth(target.owner.token), auth(target.staff.token)) },
    { weight: 1, arbitrary: fc.constantFrom({}, auth(''), auth('pdt_nope'), { authorization: 'Basic x' }, auth(`${target.owner.token}x`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((t) => ({ authorization: `Bearer ${t.replace(/[^\x21-\x7e]/g, 'x')}` })) },
  );
}

function pushArb(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const device = fc.constantFrom(target.owner, target.staff);
  const push = (kind: string, headers: OutgoingHttpHeaders, body: string): FuzzRequest => ({ kind, method: 'POST', path: '/api/v1/sync/push', headers: { ...json, ...headers }, body });
  const events = device.chain((d) => fc.array(eventArb(target, d), { minLength: 1, maxLength: 12 }).map((list) => ({ d, list })));
  return fc.oneof(
    { weight: 8, arbitrary: events.map(({ d, list }) => push(`push: ${list.map((e) => e.kind).join(', ')}`, auth(d.token), JSON.stringify({ events: list.map((e) => e.event) }))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(device, fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 20 }))
        .map(([d, sales]) => push('push of valid events', auth(d.token), JSON.stringify({ events: sales.map(([seq, qty]) => validSale(target, d, seq, qty)) }))),
    },
    { weight: 1, arbitrary: events.chain(({ list }) => tokenArb(target).map((headers) => push('push with any token', headers, JSON.stringify({ events: list.map((e) => e.event) })))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(device, events, fc.constantFrom('__proto__', 'constructor', 'prototype') as fc.Arbitrary<'__proto__' | 'constructor' | 'prototype'>, fc.constantFrom('{"polluted":true}', '{"prototype":{"polluted":true}}', '{"events":[]}', 'null'))
        .map(([d, { list }, key, value]) => {
          const inner = list.map((e) => withKey(JSON.stringify(e.event), key, value)).join(',');
          return push(`push with ${key} keys`, auth(d.token), withKey(`{"events":[${inner}]}`, key, value));
        }),
    },
    { weight: 1, arbitrary: fc.tuple(device, fc.string({ maxLength: 300 })).map(([d, text]) => push('push of any text', auth(d.token), text)) },
    {
      weight: 1,
      arbitrary: fc.tuple(device, events, fc.nat()).map(([d, { list }, cut]) => {
        const text = JSON.stringify({ events: list.map((e) => e.event) });
        return push('push of truncated JSON', auth(d.token), text.slice(0, cut % text.length));
      }),
    },
    { weight: 1, arbitrary: fc.tuple(device, fc.jsonValue({ maxDepth: 4 })).map(([d, value]) => push('push of any JSON', auth(d.token), JSON.stringify(value))) },
    {
      weight: 1,
      arbitrary: fc.tuple(device, fc.integer({ min: 20, max: 20_000 }), fc.constantFrom('[', '{"a":')).map(([d, depth, open]) => {
        const close = open === '[' ? ']' : '}';
        return push(`push nested ${depth} deep`, auth(d.token), `{"events":[${open.repeat(depth)}1${close.repeat(depth)}]}`);
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(device, fc.integer({ min: 900, max: 1100 })).map(([d, n]) =>
        push(`push of ${n} events`, auth(d.token), JSON.stringify({ events: Array.from({ length: n }, () => ({ kind: 'sale' })) })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(device, fc.constantFrom('text/plain', '', 'application/jsonx', 'multipart/form-data')).map(([d, type]) => ({
        ...push(`push as ${type || 'no type'}`, auth(d.token), '{"events":[]}'),
        headers: { ...auth(d.token), ...(type ? { 'content-type': type } : {}) },
      })),
    },
  );
}

const queryValue = fc.oneof(
  fc.constantFrom('0', '1', '-1', '1e999', '9007199254740993', '99999999999999999999999', 'NaN', '', ' ', '0x10', '1.5', '2026-01-05', '2026-13-45', '2026-01-05T09:00:00Z'),
  fc.string({ maxLength: 60 }),
  fc.integer().map(String),
  fc.string({ minLength: 2000, maxLength: 9000 }),
);

function query(params: [string, string][]): string {
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

function readArb(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const param = (names: string[]) => fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), queryValue), { maxLength: 4 });
  const exportName = fc.oneof(fc.constantFrom(...EXPORT_NAMES), fc.constantFrom('..', '%2e%2e/etc', 'nope', '', 'catalog/x'));
  const read = (kind: string, path: string, headers: OutgoingHttpHeaders): FuzzRequest => ({ kind, method: 'GET', path, headers });
  return fc.oneof(
    fc.tuple(param(['after', 'limit']), tokenArb(target)).map(([p, h]) => read('pull', `/api/v1/sync/pull${query(p)}`, h)),
    fc.tuple(fc.constantFrom('stock', 'valuation', 'journal', 'me'), param(['at', 'location']), tokenArb(target)).map(([name, p, h]) => read(name, `/api/v1/${name}${query(p)}`, h)),
    fc.tuple(param(['from', 'to']), tokenArb(target)).map(([p, h]) => read('owner-figures', `/api/v1/owner-figures${query(p)}`, h)),
    fc.tuple(exportName, param(['from', 'to', 'at', 'location', 'part']), tokenArb(target)).map(([name, p, h]) => read(`export ${name}`, `/api/v1/exports/${name}${query(p)}`, h)),
    fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.constantFrom('/api', '/api/', '/api/v1', '/api/v2/sync/push', '/api/v1/sync', '/api/v1/../health', '/api/v1/exports/'), tokenArb(target)).map(([method, path, h]) => ({
      kind: `${method} ${path}`,
      method,
      path,
      headers: h,
    })),
  );
}

function enrollArb(): fc.Arbitrary<FuzzRequest> {
  const fromAnywhere = fc.integer({ min: 2, max: 250 }).map((n) => `127.0.0.${n}`);
  const body = fc.oneof(
    fc.record({ pairingCode: fc.oneof(fc.constantFrom('ABCD-1234', 'abcd1234', '', '----', 'ZZZZ-ZZZZ'), oddString, oddValue), deviceName: fc.oneof(oddString, oddValue), deviceId: fc.oneof(fc.constant(undefined), oddString, oddValue) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{"__proto__":{"deviceName":"Till","pairingCode":"ABCD-1234"}}', '{"constructor":{"prototype":{"role":"owner"}},"deviceName":"x","pairingCode":"A"}', `{"deviceName":"x","deviceId":${'['.repeat(50)}${']'.repeat(50)}}`),
  );
  return fc.tuple(body, fromAnywhere).map(([text, localAddress]) => ({ kind: 'enroll', method: 'POST', path: '/api/v1/devices/enroll', headers: json, body: text, localAddress }));
}

export function fuzzRequestArb(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 5, arbitrary: pushArb(target) }, { weight: 3, arbitrary: readArb(target) }, { weight: 2, arbitrary: enrollArb() });
}

// ---- sending ------------------------------------------------------------------------------------

export function sendFuzz(url: string, req: FuzzRequest, timeoutMs: number): Promise<FuzzAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    let done = false;
    const finish = (answer: Omit<FuzzAnswer, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      finish({ status: 0, accepted: 0, error: `no answer within ${timeoutMs} ms` });
      outgoing.destroy();
    }, timeoutMs);
    const outgoing = request(`${url}${req.path}`, { method: req.method, headers: req.headers, ...(req.localAddress ? { localAddress: req.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let accepted = 0;
        if (req.path === '/api/v1/sync/push' && res.statusCode === 200) {
          accepted = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accepted: number }).accepted;
        }
        finish({ status: res.statusCode ?? 0, accepted });
      });
      res.on('error', (error) => finish({ status: 0, accepted: 0, error: error.message }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer early (413, 408) and close while the body is still going out.
      finish({ status: 0, accepted: 0, error: `${error.code ?? ''} ${error.message}` });
    });
    outgoing.end(req.body);
  });
}

export interface FuzzRun {
  seed: number;
  requests: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  accepted: number;
  durationMs: number;
  /** Requests answered 5xx, not at all, or late: each with what was sent (body cut short). */
  failures: { request: Omit<FuzzRequest, 'body'> & { body?: string }; answer: FuzzAnswer }[];
}

export async function runFuzz(target: FuzzTarget, options: { count: number; seed: number; concurrency: number; timeoutMs: number }): Promise<FuzzRun> {
  const requests = fc.sample(fuzzRequestArb(target), { numRuns: options.count, seed: options.seed });
  const run: FuzzRun = { seed: options.seed, requests: requests.length, statuses: {}, latenciesMs: [], accepted: 0, durationMs: 0, failures: [] };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < requests.length) {
        const req = requests[next++] as FuzzRequest;
        let answer = await sendFuzz(target.url, req, options.timeoutMs);
        // A reset while a body was still being written after an early answer: ask once more to read the status.
        if (answer.status === 0 && /EPIPE|ECONNRESET/.test(answer.error ?? '')) answer = await sendFuzz(target.url, req, options.timeoutMs);
        run.statuses[String(answer.status)] = (run.statuses[String(answer.status)] ?? 0) + 1;
        run.latenciesMs.push(answer.ms);
        run.accepted += answer.accepted;
        if (answer.status === 0 || answer.status >= 500) {
          run.failures.push({ request: { ...req, ...(req.body !== undefined ? { body: req.body.slice(0, 500) } : {}) }, answer });
        }
      }
    }),
  );
  run.durationMs = performance.now() - started;
  return run;
}

// ---- after --------------------------------------------------------------------------------------

export interface AfterFuzz {
  storedEvents: number;
  /** Stored events parseEvent refuses, or the books reject when folding (both must stay empty). */
  unparsable: string[];
  rejectedByBooks: string[];
  healthy: boolean;
  roundTrip: boolean;
}

async function getJson(url: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, token ? { headers: auth(token) } : {});
  return { status: res.status, body: await res.json() };
}

/** Pulls everything, checks each stored event against the domain, and tries a normal round trip. */
export async function checkAfterFuzz(target: FuzzTarget, roundTripSeq: number): Promise<AfterFuzz> {
  const events: unknown[] = [];
  let cursor = '0';
  for (;;) {
    const page = (await getJson(`${target.url}/api/v1/sync/pull?after=${cursor}&limit=5000`, target.owner.token)).body as { events: unknown[]; cursor: string; hasMore: boolean };
    events.push(...page.events);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const unparsable: string[] = [];
  const rejectedByBooks: string[] = [];
  const books = new Books({ valuation: 'fifo' });
  for (const raw of events) {
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      unparsable.push(parsed.error);
      continue;
    }
    const applied = books.apply(parsed.event);
    if (applied.status === 'rejected') rejectedByBooks.push(applied.error);
  }
  const healthy = (await getJson(`${target.url}/api/health`)).status === 200;
  const sale = validSale(target, target.staff, roundTripSeq, 1);
  const pushed = await fetch(`${target.url}/api/v1/sync/push`, { method: 'POST', headers: { ...json, ...auth(target.staff.token) }, body: JSON.stringify({ events: [sale] }) });
  const pushBody = (await pushed.json()) as { accepted?: number };
  const after = (await getJson(`${target.url}/api/v1/sync/pull?after=${cursor}&limit=10`, target.owner.token)).body as { events: { id: string }[] };
  const roundTrip = pushed.status === 200 && pushBody.accepted === 1 && after.events.some((e) => e.id === sale.id);
  return { storedEvents: events.length, unparsable, rejectedByBooks, healthy, roundTrip };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
