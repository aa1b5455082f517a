/**
 * The Reorder screen's bridge to its worker (src/ui/replenish/replenish-bridge.ts), with the worker's
 * API served over a real MessageChannel by comlink, as a Worker would: the ledger is folded before
 * any forwarded event is applied, every applied batch reaches the worker in order, a plan is asked
 * for only while someone listens and never twice at once, and a failure becomes a sentence.
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalProjection } from '../../src/db/projection.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import type { ReplenishmentPlan } from '../../src/domain/replenishment/types.ts';
import { ReplenishBridge, type PlanState } from '../../src/ui/replenish/replenish-bridge.ts';
import type { ReplenishWorkerApi } from '../../src/ui/replenish/protocol.ts';
import { Device } from '../domain/support/event-factory.ts';

const NOW = '2026-12-04T10:00:00.000Z';
const device = new Device('till-1');
const sale = () => device.sale([{ productId: 'p-1', qty: 1 }]);

/** A projection as the bridge sees it: listeners told of applied batches. */
class FakeProjection {
  readonly method = 'fifo' as const;
  readonly listeners = new Set<(applied: readonly LedgerEvent[]) => void>();
  subscribe(listener: (applied: readonly LedgerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  applied(events: LedgerEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const plan = (asOf: string, n: number): ReplenishmentPlan => ({ asOf, series: [], transfers: [], purchases: [{ supplier: `s${n}`, leadTime: { days: 7, source: 'store-default', orders: 0 }, lines: [], value: 0 }] });

/** The worker's side: records each call; `open` and `plan` answer when the test says. */
class FakeWorkerApi {
  readonly calls: string[] = [];
  readonly opening = deferred<void>();
  readonly plans: Deferred<ReplenishmentPlan>[] = [];
  api: ReplenishWorkerApi = {
    open: async (dbName, valuation) => {
      this.calls.push(`open ${dbName} ${valuation}`);
      await this.opening.promise;
    },
    apply: async (events) => {
      await this.opening.promise;
      this.calls.push(`apply ${events.map((e) => e.id).join(',')}`);
    },
    plan: async () => {
      this.calls.push('plan');
      const answer = deferred<ReplenishmentPlan>();
      this.plans.push(answer);
      return answer.promise;
    },
  };
}

const opened: { port: MessagePort; bridge: ReplenishBridge }[] = [];
afterEach(() => {
  for (const { bridge, port } of opened.splice(0)) {
    bridge.dispose();
    port.close();
  }
});

function start(fake: FakeWorkerApi, projection: FakeProjection): { bridge: ReplenishBridge; terminated: () => boolean; fail(message: string): void } {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(fake.api, port2);
  const errors = new EventTarget();
  let terminated = false;
  const worker = {
    postMessage: (message: unknown, transfer: Transferable[]) => port1.postMessage(message, transfer),
    addEventListener: (type: string, listener: EventListener) => (type === 'error' ? errors.addEventListener(type, listener) : port1.addEventListener(type, listener)),
    removeEventListener: (type: string, listener: EventListener) => (type === 'error' ? errors.removeEventListener(type, listener) : port1.removeEventListener(type, listener)),
    start: () => port1.start(),
    terminate: () => {
      terminated = true;
      port1.close();
    },
  } as unknown as Worker;
  const bridge = new ReplenishBridge({ dbName: 'perpetua-test', projection: projection as unknown as LocalProjection, now: () => NOW, createWorker: () => worker });
  opened.push({ port: port2, bridge });
  const fail = (message: string) => {
    const event = new Event('error', { cancelable: true }) as Event & { message: string };
    event.message = message;
    errors.dispatchEvent(event);
  };
  return { bridge, terminated: () => terminated, fail };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the replenishment bridge', () => {
  it('opens the page’s database first, then applies each forwarded batch in order', async () => {
    const fake = new FakeWorkerApi();
    const projection = new FakeProjection();
    start(fake, projection);
    const [a, b, c] = [sale(), sale(), sale()];
    // Applied on the page while the worker is still reading the ledger.
    projection.applied([a]);
    projection.applied([b, c]);
    await settle();
    expect(fake.calls).toEqual(['open perpetua-test fifo']);
    fake.opening.resolve();
    await settle();
    expect(fake.calls).toEqual(['open perpetua-test fifo', `apply ${a.id}`, `apply ${b.id},${c.id}`]);
  });

  it('asks for a plan only while someone listens, one at a time, and once more for changes meanwhile', async () => {
    const fake = new FakeWorkerApi();
    const projection = new FakeProjection();
    const { bridge } = start(fake, projection);
    fake.opening.resolve();
    projection.applied([sale()]);
    await settle();
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(0);
    expect(bridge.state).toEqual({ kind: 'working' });

    const seen: PlanState[] = [];
    const stop = bridge.onChange(() => seen.push(bridge.state));
    await settle();
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(1);
    // Three sales while the first plan is worked out: one more plan, not three.
    projection.applied([sale()]);
    projection.applied([sale()]);
    projection.applied([sale()]);
    await settle();
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(1);
    fake.plans[0]?.resolve(plan('2026-12-04', 1));
    await settle();
    expect(seen).toEqual([{ kind: 'ready', plan: plan('2026-12-04', 1) }]);
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(2);
    fake.plans[1]?.resolve(plan('2026-12-04', 2));
    await settle();
    expect(bridge.state).toEqual({ kind: 'ready', plan: plan('2026-12-04', 2) });
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(2);

    // Nobody looking: a sale is forwarded, no plan is worked out.
    stop();
    projection.applied([sale()]);
    await settle();
    expect(fake.calls.filter((c) => c === 'plan')).toHaveLength(2);
    expect(fake.calls.filter((c) => c.startsWith('apply'))).toHaveLength(5);
  });

  it('says in a sentence what to do when the worker fails, and stops it when disposed', async () => {
    const fake = new FakeWorkerApi();
    const projection = new FakeProjection();
    const { bridge, terminated, fail } = start(fake, projection);
    bridge.onChange(() => undefined);
    fail('Failed to fetch the worker script');
    expect(bridge.state).toEqual({
      kind: 'failed',
      message:
        'The forecasts could not be worked out (Failed to fetch the worker script). Reload the app and open Reorder again; if it keeps happening, open the app once while online so all of it is stored on this device.',
    });
    // A plan that arrives after the failure does not hide it.
    fake.opening.resolve();
    fake.plans[0]?.resolve(plan('2026-12-04', 1));
    await settle();
    expect(bridge.state.kind).toBe('failed');
    expect(projection.listeners.size).toBe(1);
    bridge.dispose();
    expect(projection.listeners.size).toBe(0);
    expect(terminated()).toBe(true);
  });
});
