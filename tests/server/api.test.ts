/**
 * The HTTP API against the real server on loopback: enrollment, push/pull, idempotency, and every
 * kind of bad input answered with a precise 4xx while nothing already stored changes.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { MAX_PULL_LIMIT } from '../../src/server/app.ts';
import { isLoopbackAddress } from '../../src/server/enrollment.ts';
import type { LedgerEvent } from '../../src/domain/index.ts';
import { locationDefined, openingBalance, productsDefined, saleEvent, saleEvents, storeSettingsChanged } from './fixtures.ts';
import { api, enroll, enrollDevices, pullAllEvents, rawPost, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines } from './storage-engines.ts';

for (const engine of engines()) {
  describe(`HTTP API on ${engine.name}`, () => {
    let server: RunningServer;
    let owner: EnrolledDevice;
    let till: EnrolledDevice;
    let storage: ReturnType<typeof engine.serverOptions>;

    beforeEach(async () => {
      storage = engine.serverOptions();
      server = await startTestServer({ ...storage, bodyLimitBytes: 256 * 1024 });
      [owner, till] = (await enrollDevices(server, 2)) as [EnrolledDevice, EnrolledDevice];
    });
    afterEach(async () => {
      await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    const push = (device: EnrolledDevice, events: unknown[]) =>
      api(server.url, '/api/v1/sync/push', { token: device.token, json: { events } });

    it('answers health', async () => {
      expect(await api(server.url, '/api/health')).toMatchObject({ status: 200, body: { ok: true } });
    });

    it('push accepts, a replay answers duplicate for each event, pull returns them once in order', async () => {
      const events = saleEvents(till.storeId, till.deviceId, 1, 20);
      const first = await push(till, events);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ accepted: 20, duplicate: 0, rejected: 0 });
      for (let i = 0; i < 3; i += 1) {
        const again = await push(till, events);
        expect(again.body).toMatchObject({ accepted: 0, duplicate: 20, rejected: 0 });
      }
      // Half old, half new: only the new half is stored.
      const overlapping = [...events.slice(10), ...saleEvents(till.storeId, till.deviceId, 21, 10)];
      expect((await push(till, overlapping)).body).toMatchObject({ accepted: 10, duplicate: 10 });
      const pulled = await pullAllEvents(server.url, owner.token, 7);
      expect(pulled.map((e) => e.id)).toEqual([...events, ...overlapping.slice(10)].map((e) => e.id));
      expect(pulled[0]).toEqual(events[0]);
    });

    it('each pull page names its end in its headers as in its body, exposed to any origin (issue 19)', async () => {
      await push(till, saleEvents(till.storeId, till.deviceId, 1, 5));
      let after = '0';
      for (let pages = 0; pages < 5; pages++) {
        const page = await api(server.url, `/api/v1/sync/pull?after=${after}&limit=2`, { token: owner.token });
        const body = page.body as { cursor: string; hasMore: boolean };
        expect(page.headers.get('x-perpetua-pull-cursor')).toBe(body.cursor);
        expect(page.headers.get('x-perpetua-pull-has-more')).toBe(String(body.hasMore));
        expect(page.headers.get('access-control-expose-headers')).toMatch(/x-perpetua-pull-cursor, x-perpetua-pull-has-more/);
        after = body.cursor;
        if (!body.hasMore) break;
      }
      expect(after).not.toBe('0');
      // A counted page (a run's first) says the run's total in its headers too: this page and all after it.
      const counted = await api(server.url, '/api/v1/sync/pull?after=0&limit=2&count=1', { token: owner.token });
      const countedBody = counted.body as { events: unknown[]; remaining: number };
      expect(countedBody.remaining).toBeGreaterThan(0);
      expect(counted.headers.get('x-perpetua-pull-total')).toBe(String(countedBody.events.length + countedBody.remaining));
      expect(counted.headers.get('access-control-expose-headers')).toMatch(/x-perpetua-pull-total/);
      expect((await api(server.url, '/api/v1/sync/pull?after=0&limit=2', { token: owner.token })).headers.get('x-perpetua-pull-total')).toBeNull();
    });

    it('a re-used id with changed content is rejected per event, the rest of the batch is stored', async () => {
      const [a, b] = saleEvents(till.storeId, till.deviceId, 1, 2) as [LedgerEvent, LedgerEvent];
      await push(till, [a]);
      const res = await push(till, [{ ...a, userId: 'someone-else' }, b]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        accepted: 1,
        rejected: 1,
        results: [{ id: a.id, status: 'rejected', reason: expect.stringMatching(/different content/) }, { id: b.id, status: 'accepted' }],
      });
      expect(await pullAllEvents(server.url, owner.token)).toEqual([a, b]);
    });

    describe('bad input: a precise 4xx and nothing stored changes', () => {
      let before: unknown[];
      beforeEach(async () => {
        expect((await push(till, saleEvents(till.storeId, till.deviceId, 1, 3))).status).toBe(200);
        before = await pullAllEvents(server.url, owner.token);
      });
      afterEach(async () => {
        expect(await pullAllEvents(server.url, owner.token)).toEqual(before);
      });

      const next = () => saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 4 });

      it('malformed JSON -> 400', async () => {
        const res = await api(server.url, '/api/v1/sync/push', { token: till.token, rawBody: '{"events": [' });
        expect(res).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not valid JSON/) } });
      });

      it('not JSON content type -> 415', async () => {
        const res = await api(server.url, '/api/v1/sync/push', { token: till.token, rawBody: 'events=1', contentType: 'text/plain' });
        expect(res).toMatchObject({ status: 415, body: { error: expect.stringMatching(/Content-Type: application\/json/) } });
      });

      it('wrong body shapes -> 400', async () => {
        for (const json of [[], { events: 'x' }, { events: [] }, { batch: [] }, 42]) {
          const res = await api(server.url, '/api/v1/sync/push', { token: till.token, json });
          expect(res.status, JSON.stringify(json)).toBe(400);
          expect((res.body as { error: string }).error).toMatch(/events/);
        }
      });

      it('wrong types in an event -> 422 naming the field, and the valid events of the batch are not stored', async () => {
        const bad = { ...next(), seq: '5' };
        const res = await push(till, [next(), bad]);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ rejected: [{ index: 1, id: bad.id, reason: expect.stringMatching(/^seq: /) }] });
      });

      it('unknown event kind -> 422', async () => {
        const res = await push(till, [{ ...next(), kind: 'teleport' }]);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ rejected: [{ index: 0, reason: expect.stringMatching(/kind/) }] });
      });

      it('an event of another store -> 422', async () => {
        const res = await push(till, [{ ...next(), storeId: 'elsewhere' }]);
        expect(res).toMatchObject({ status: 422, body: { rejected: [{ reason: expect.stringMatching(/storeId/) }] } });
      });

      it('a batch over the size limit -> 413', async () => {
        const res = await push(till, saleEvents(till.storeId, till.deviceId, 4, 400));
        expect(res).toMatchObject({ status: 413, body: { error: expect.stringMatching(/larger than the limit/) } });
      });

      it('a body sent in chunks, with no Content-Length, is refused (413) once it passes the limit', async () => {
        const stored = await server.storage.countEvents(till.storeId);
        const events = saleEvents(till.storeId, till.deviceId, 4, 400);
        const body = Buffer.from(JSON.stringify({ events }));
        const headers = { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: `Bearer ${till.token}` };
        // The server may answer and close before the last chunk: that is the point.
        const res = await rawPost(
          `${server.url}/api/v1/sync/push`,
          headers,
          (req) => {
            for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
            req.end();
          },
          { tolerateReset: true },
        );
        expect(res.status).toBe(413);
        expect(JSON.parse(res.text)).toMatchObject({ error: expect.stringMatching(/larger than the limit/) });
        expect(await server.storage.countEvents(till.storeId)).toBe(stored);
      });

      it('more events than a batch may hold -> 413', async () => {
        const tiny = { kind: 'x' };
        const res = await push(till, Array(1001).fill(tiny));
        expect(res).toMatchObject({ status: 413, body: { error: expect.stringMatching(/at most 1000/) } });
      });

      it('missing or wrong token -> 401', async () => {
        const missing = await api(server.url, '/api/v1/sync/push', { json: { events: [next()] } });
        expect(missing).toMatchObject({ status: 401, body: { error: expect.stringMatching(/token is required/) } });
        const wrong = await api(server.url, '/api/v1/sync/push', { token: 'pdt_forged', json: { events: [next()] } });
        expect(wrong).toMatchObject({ status: 401, body: { error: expect.stringMatching(/not valid/) } });
        const pull = await api(server.url, '/api/v1/sync/pull?after=0', { token: 'pdt_forged' });
        expect(pull.status).toBe(401);
      });

      it("another device's id -> 403", async () => {
        const foreign = saleEvent({ storeId: till.storeId, deviceId: owner.deviceId, seq: 1 });
        const res = await push(till, [next(), foreign]);
        expect(res).toMatchObject({ status: 403, body: { index: 1, error: expect.stringMatching(/only push its own events/) } });
      });

      it('bad pull parameters -> 400', async () => {
        for (const query of ['after=-1', 'after=abc', 'limit=0', `limit=${MAX_PULL_LIMIT + 1}`, 'limit=2.5']) {
          const res = await api(server.url, `/api/v1/sync/pull?${query}`, { token: till.token });
          expect(res.status, query).toBe(400);
        }
      });

      it('a cursor past the 64-bit range -> 400 with a sentence; the largest one is an empty page', async () => {
        const past = await api(server.url, '/api/v1/sync/pull?after=9999999999999999999', { token: till.token });
        expect(past.status).toBe(400);
        expect(past.body).toMatchObject({ error: expect.stringMatching(/^after must be a cursor returned by an earlier pull/) });
        const largest = await api(server.url, '/api/v1/sync/pull?after=9223372036854775807', { token: till.token });
        expect(largest).toMatchObject({ status: 200, body: { events: [] } });
      });

      it('unknown endpoint -> 404, wrong method -> 405', async () => {
        expect((await api(server.url, '/api/v1/nope')).status).toBe(404);
        expect((await api(server.url, '/api/v1/sync/push', { token: till.token })).status).toBe(405);
      });
    });

    it('a staff device may sell but not record what only the owner decides; the owner may', async () => {
      const opening = (device: EnrolledDevice, seq: number) =>
        openingBalance({ storeId: device.storeId, deviceId: device.deviceId, seq, lines: [{ productId: 'p-1', qty: 5, unitCost: 100 }] });
      const sale = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1 });
      const refused = opening(till, 2);
      const res = await push(till, [sale, refused]);
      expect(res).toMatchObject({
        status: 422,
        body: { rejected: [{ index: 1, id: refused.id, reason: 'opening-balance: Only the owner’s device can record opening balances. This device was paired as a staff device.' }] },
      });
      // The staff device's sale goes through once the refused event is set aside; the owner's opening balance is accepted.
      expect((await push(till, [sale])).body).toMatchObject({ accepted: 1 });
      expect((await push(owner, [opening(owner, 1)])).body).toMatchObject({ accepted: 1 });
      expect((await pullAllEvents(server.url, owner.token)).map((e) => e.kind)).toEqual(['sale', 'opening-balance']);
    });

    it('only the owner’s device may add or rename a location; the stock read model still folds', async () => {
      const warehouse = (device: EnrolledDevice, seq: number) =>
        locationDefined({ storeId: device.storeId, deviceId: device.deviceId, seq, id: 'loc-warehouse', name: 'Warehouse' });
      const refused = warehouse(till, 1);
      expect(await push(till, [refused])).toMatchObject({
        status: 422,
        body: { rejected: [{ index: 0, id: refused.id, reason: 'location-defined: Only the owner’s device can add or rename locations. This device was paired as a staff device.' }] },
      });
      const added = warehouse(owner, 1);
      expect((await push(owner, [added])).body).toMatchObject({ accepted: 1, rejected: 0 });
      expect(await pullAllEvents(server.url, till.token)).toEqual([added]);
      const stock = await api(server.url, '/api/v1/stock', { token: owner.token });
      expect(stock).toMatchObject({ status: 200, body: { stock: [] } });
      const journal = await api(server.url, '/api/v1/journal', { token: owner.token });
      expect(journal).toMatchObject({ status: 200, body: { entries: [] } });
    });

    it('only the owner’s device may change the store’s settings; the read model values by the store’s method', async () => {
      const taxExclusive = (device: EnrolledDevice, seq: number) =>
        storeSettingsChanged({ storeId: device.storeId, deviceId: device.deviceId, seq, changes: { pricesIncludeTax: false, valuation: 'average' } });
      const refused = taxExclusive(till, 1);
      expect(await push(till, [refused])).toMatchObject({
        status: 422,
        body: { rejected: [{ index: 0, id: refused.id, reason: 'store-settings-changed: Only the owner’s device can change the store’s settings. This device was paired as a staff device.' }] },
      });
      expect((await api(server.url, '/api/v1/valuation', { token: owner.token })).body).toMatchObject({ method: 'fifo' });
      const changed = taxExclusive(owner, 1);
      expect((await push(owner, [changed])).body).toMatchObject({ accepted: 1, rejected: 0 });
      expect(await pullAllEvents(server.url, till.token)).toEqual([changed]);
      // The store chose moving average: the read model (folded with the env default, FIFO, so far) follows it.
      expect((await api(server.url, '/api/v1/valuation', { token: owner.token })).body).toMatchObject({ method: 'average', inventoryValue: 0 });
      expect((await api(server.url, '/api/v1/journal', { token: owner.token })).body).toMatchObject({ entries: [] });
    });

    it('enrollment: the setup code works once, pairing codes come from the owner only', async () => {
      const reuse = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: server.setupCode, deviceName: 'Thief' } });
      expect(reuse).toMatchObject({ status: 401, body: { error: expect.stringMatching(/unknown, already used or expired/) } });
      expect((await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: till.token })).status).toBe(403);
      const noCode = await api(server.url, '/api/v1/devices/enroll', { json: { deviceName: 'No code' } });
      expect(noCode.status).toBe(400);
      const noName = await api(server.url, '/api/v1/devices/enroll', { json: { pairingCode: 'ABCD-EFGH' } });
      expect(noName.status).toBe(400);
      // Codes are forgiving about case and dashes.
      const code = (await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
      const phone = await enroll(server.url, code.code.toLowerCase().replace('-', ''), 'Phone');
      expect(phone).toMatchObject({ storeId: owner.storeId, role: 'staff' });
      expect((await api(server.url, '/api/v1/me', { token: phone.token })).body).toMatchObject({ id: phone.deviceId, name: 'Phone' });
      const taken = await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token });
      const dup = await api(server.url, '/api/v1/devices/enroll', {
        json: { pairingCode: (taken.body as { code: string }).code, deviceName: 'Clone', deviceId: till.deviceId },
      });
      expect(dup.status).toBe(409);
    });

    it('stock read endpoint folds all devices’ events with src/domain', async () => {
      await push(owner, [openingBalance({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, lines: [{ productId: 'p-coffee', qty: 10, unitCost: 120 }] })]);
      await push(till, saleEvents(till.storeId, till.deviceId, 1, 3));
      const res = await api(server.url, '/api/v1/stock', { token: till.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ stock: [{ productId: 'p-coffee', locationId: 'loc-floor', onHand: 7, oversoldQty: 0 }] });
      const valuation = await api(server.url, '/api/v1/valuation', { token: till.token });
      expect(valuation.body).toMatchObject({ method: 'fifo', inventoryValue: 7 * 120 });
      const journal = (await api(server.url, '/api/v1/journal', { token: till.token })).body as {
        entries: unknown[];
        trialBalance: { totalDebit: number; totalCredit: number };
      };
      expect(journal.entries.length).toBeGreaterThanOrEqual(3);
      expect(journal.trialBalance.totalDebit).toBe(journal.trialBalance.totalCredit);
    });

    it('accepts a products-defined catalog event, serves it back, and values found stock at its catalog cost', async () => {
      const catalog = productsDefined({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, count: 300 });
      expect((await push(owner, [catalog])).body).toMatchObject({ accepted: 1, rejected: 0 });
      expect((await push(owner, [catalog])).body).toMatchObject({ duplicate: 1 });
      const pulled = await pullAllEvents(server.url, till.token, 10);
      expect(pulled).toEqual([catalog]);
      // Stock found of a never-received product is valued at the catalog cost in force.
      const found = { ...openingBalance({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, lines: [] }), kind: 'stock-adjusted', reason: 'found', lines: [{ productId: 'p-cat-42', qty: 3 }] };
      expect((await push(till, [found])).body).toMatchObject({ accepted: 1 });
      const valuation = await api(server.url, '/api/v1/valuation', { token: till.token });
      expect(valuation.body).toMatchObject({ inventoryValue: 3 * 142 });
    });

    it('refuses a products-defined event with a repeated SKU or too many products -> 422, nothing stored', async () => {
      const repeated = productsDefined({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, count: 3 }) as LedgerEvent & { products: { sku: string }[] };
      (repeated.products[2] as { sku: string }).sku = 'cat-0';
      const res = await push(owner, [repeated]);
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('products[2].sku: SKU cat-0 is also on products[0]');
      const tooMany = productsDefined({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, count: 1001 });
      const big = await api(server.url, '/api/v1/sync/push', { token: owner.token, json: { events: [tooMany] } });
      expect(big.status).toBe(422);
      expect(JSON.stringify(big.body)).toContain('products: must hold at most 1000 products');
      expect(await pullAllEvents(server.url, owner.token, 10)).toEqual([]);
    });

    it('two devices sell the last unit while offline: both sales kept, stock -1, the oversell flagged', async () => {
      await push(owner, [openingBalance({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, lines: [{ productId: 'p-last', qty: 1, unitCost: 500 }] })]);
      const fromTill = saleEvent({ storeId: till.storeId, deviceId: till.deviceId, seq: 1, productId: 'p-last' });
      const fromOwner = saleEvent({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 2, productId: 'p-last', wallMs: Date.UTC(2026, 0, 5, 9, 0, 1, 500) });
      expect((await push(till, [fromTill])).body).toMatchObject({ accepted: 1 });
      expect((await push(owner, [fromOwner])).body).toMatchObject({ accepted: 1 });
      const body = (await api(server.url, '/api/v1/stock', { token: owner.token })).body as {
        stock: { productId: string; onHand: number; oversoldQty: number }[];
        oversells: { eventId: string; oversoldQty: number }[];
      };
      expect(body.stock.find((s) => s.productId === 'p-last')).toMatchObject({ onHand: -1, oversoldQty: 1 });
      // The sale that came second in HLC order is the one flagged.
      expect(body.oversells).toEqual([expect.objectContaining({ eventId: fromOwner.id, oversoldQty: 1 })]);
    });

    it('graceful shutdown finishes the batch in flight before closing', async () => {
      const events = saleEvents(till.storeId, till.deviceId, 1, 200);
      const body = JSON.stringify({ events });
      let closing: Promise<void> | undefined;
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${till.token}` };
      const reply = rawPost(`${server.url}/api/v1/sync/push`, headers, (req) => {
        // Half the body now, the rest after shutdown has begun.
        req.write(body.slice(0, 1000));
        setTimeout(() => {
          closing = server.close();
          setTimeout(() => req.end(body.slice(1000)), 50);
        }, 100);
      });
      const res = await reply;
      await closing;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ accepted: 200 });
      // Restart on the same database: the batch is there.
      server = await startTestServer(storage);
      expect(await server.storage.countEvents(till.storeId)).toBe(200);
    });
  });
}

describe('demo mode', () => {
  const engine = engines()[0]!;
  afterAll(() => engine.cleanup());

  it('creates the demo store with its seed and lets a device enroll without a code', async () => {
    const server = await startTestServer({ ...engine.serverOptions(), demo: true });
    try {
      expect(server.storeId).toBe('demo-store');
      expect((await api(server.url, '/api/v1/enrollment')).body).toEqual({ demo: true, codeless: true });
      const device = await enroll(server.url, undefined, 'Browser');
      expect(device).toMatchObject({ storeId: 'demo-store', role: 'owner' });
      const events = await pullAllEvents(server.url, device.token);
      expect(events.length).toBeGreaterThan(10);
      // product-changed: the demo's categories and favourites (issue 14 item 15), later seed events.
      expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['product-defined', 'opening-balance', 'product-changed']));
    } finally {
      await server.close();
    }
  });

  it('a demo server pairs without a code only from its own computer, not from the network', async () => {
    // Reached over a real non-loopback address of this machine (the server listens on every interface).
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && !a.internal && a.family === 'IPv4')?.address;
    expect(isLoopbackAddress('127.0.0.1') && isLoopbackAddress('::1') && isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.20') || isLoopbackAddress('::ffff:10.0.0.5') || isLoopbackAddress(undefined)).toBe(false);
    if (address === undefined) return; // a machine with no network interface has no "network" to refuse
    const server = await startTestServer({ ...engine.serverOptions(), demo: true, host: '0.0.0.0' });
    try {
      const remote = server.url.replace('127.0.0.1', address).replace('0.0.0.0', address);
      expect(remote).toContain(address);
      expect((await api(remote, '/api/v1/enrollment')).body).toEqual({ demo: true, codeless: false });
      const refused = await api(remote, '/api/v1/devices/enroll', { json: { deviceName: 'Phone on the Wi-Fi' } });
      expect(refused.status).toBe(400);
      expect((refused.body as { error: string }).error).toMatch(/only the server’s own computer pairs without a code/);
      // The owner's device (paired on the server's computer) makes a code, which works from anywhere.
      const owner = await enroll(server.url.replace('0.0.0.0', '127.0.0.1'), undefined, 'Back office');
      expect(owner.role).toBe('owner');
      const code = (await api(server.url.replace('0.0.0.0', '127.0.0.1'), '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
      const phone = await api(remote, '/api/v1/devices/enroll', { json: { deviceName: 'Phone on the Wi-Fi', pairingCode: code.code } });
      expect(phone.status).toBe(201);
      expect(phone.body).toMatchObject({ storeId: 'demo-store', role: 'staff' });
    } finally {
      await server.close();
    }
  });

  it('without demo mode a code is required', async () => {
    const server = await startTestServer(engine.serverOptions());
    try {
      expect((await api(server.url, '/api/v1/enrollment')).body).toEqual({ demo: false, codeless: false });
      expect((await api(server.url, '/api/v1/devices/enroll', { json: { deviceName: 'x' } })).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});
