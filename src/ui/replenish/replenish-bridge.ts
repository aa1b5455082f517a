/**
 * The page's handle on the replenishment worker (replenish.worker.ts): it starts the worker, has it
 * fold the books from the device's database, forwards every batch of events the page's projection
 * applies afterwards, and asks for the plan while someone is looking at it. The UI thread never
 * forecasts.
 */
import * as Comlink from 'comlink';
import type { LocalProjection } from '../../db/projection.ts';
import type { ReplenishmentPlan } from '../../domain/replenishment/types.ts';
import type { ReplenishWorkerApi } from './protocol.ts';

export type PlanState =
  /** The first plan is being worked out. */
  | { kind: 'working' }
  /** The latest plan; while a newer one is worked out, the previous one stays shown. */
  | { kind: 'ready'; plan: ReplenishmentPlan }
  | { kind: 'failed'; message: string };

export interface ReplenishBridgeOptions {
  /** The page's database name (`app.db.name`): the worker opens the same one. */
  dbName: string;
  projection: LocalProjection;
  /** Now, as an ISO instant (injected in tests). */
  now?: () => string;
  /** Injected in tests; the default starts our own module worker. */
  createWorker?: () => Worker;
}

function startReplenishWorker(): Worker {
  return new Worker(new URL('./replenish.worker.ts', import.meta.url), { type: 'module', name: 'replenishment' });
}

/** Why there is no plan, as a sentence that says what to do. */
export function failureMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return `The forecasts could not be worked out${detail ? ` (${detail})` : ''}. Reload the app and open Reorder again; if it keeps happening, open the app once while online so all of it is stored on this device.`;
}

export class ReplenishBridge {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<ReplenishWorkerApi>;
  private readonly now: () => string;
  private readonly unsubscribe: () => void;
  private readonly listeners = new Set<() => void>();
  private stateValue: PlanState = { kind: 'working' };
  /** A plan is being worked out; `again`: the ledger changed meanwhile, so one more is needed. */
  private planning = false;
  private again = false;
  private disposed = false;

  constructor(options: ReplenishBridgeOptions) {
    this.now = options.now ?? (() => new Date().toISOString());
    this.worker = (options.createWorker ?? startReplenishWorker)();
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(event.message || 'the worker did not start');
    });
    this.api = Comlink.wrap<ReplenishWorkerApi>(this.worker);
    // Subscribed before the worker reads the ledger: an event applied meanwhile is both read and
    // forwarded, and the worker's books take it once.
    this.unsubscribe = options.projection.subscribe((applied) => {
      this.api.apply([...applied], this.now()).catch((error: unknown) => this.fail(error));
      this.changed();
    });
    this.api.open(options.dbName, options.projection.method, this.now()).catch((error: unknown) => this.fail(error));
  }

  get state(): PlanState {
    return this.stateValue;
  }

  /**
   * `listener` runs when the state changes. While anyone listens the plan follows the ledger; a new
   * listener gets a fresh plan (the ledger may have changed, or the day turned, since the last).
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    this.refresh();
    return () => this.listeners.delete(listener);
  }

  /** Asks for a fresh plan (the app came back to the front, perhaps on a later day). */
  refresh(): void {
    if (this.disposed || this.stateValue.kind === 'failed') return;
    if (this.planning) {
      this.again = true;
      return;
    }
    this.planning = true;
    this.api
      .plan(this.now())
      .then(
        (plan) => this.show({ kind: 'ready', plan }),
        (error: unknown) => this.fail(error),
      )
      .finally(() => {
        this.planning = false;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  /** Stops the worker (the books were replaced); a new bridge starts afresh. */
  dispose(): void {
    if (this.disposed) return; // comlink refuses to release a proxy twice
    this.disposed = true;
    this.unsubscribe();
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.listeners.clear();
  }

  /** Nobody looking: no plan is worked out for every sale; the next look asks for one. */
  private changed(): void {
    if (this.listeners.size > 0) this.refresh();
  }

  private fail(error: unknown): void {
    if (this.disposed || this.stateValue.kind === 'failed') return;
    console.error('Replenishment worker:', error);
    this.show({ kind: 'failed', message: failureMessage(error) });
  }

  private show(state: PlanState): void {
    if (this.disposed) return;
    if (this.stateValue.kind === 'failed' && state.kind !== 'failed') return;
    this.stateValue = state;
    for (const listener of this.listeners) listener();
  }
}
