/**
 * Handing the main thread back to the browser for a moment, so it can paint and answer a tap before
 * the rest of a long job (issue 19). On a phone's slow CPU any task over 50 ms blocks the page; a job
 * that yields at these points never runs that long in one go.
 *
 * In `src/db` so the screens, the projection and sync can all use the one helper (src/db imports
 * nothing from them). Outside a browser (Node tests) it yields to the event loop.
 */
interface YieldingScheduler {
  yield(): Promise<void>;
}

/**
 * Resolves in a later task. `scheduler.yield` where the browser has it (the job then goes on ahead of
 * other waiting work); else a message to ourselves, which, unlike `setTimeout`, a hidden tab does not
 * slow to one a second (a first sync yields hundreds of times and must not crawl in the background).
 */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * A job's share of the main thread: `due` says when it has run `budgetMs` since it last yielded, and
 * `yield()` hands over and starts a new share. A loop asks `due` per item, so it yields only when it
 * must (a first sync validates a million events; yielding per event would cost more than the work).
 */
export class MainThreadShare {
  private since = performance.now();

  /** 8 ms: under the 50 ms that makes a task long even when a test slows the CPU 4× (Lighthouse's phone). */
  constructor(private readonly budgetMs = 8) {}

  get due(): boolean {
    return performance.now() - this.since >= this.budgetMs;
  }

  async yield(): Promise<void> {
    await yieldToBrowser();
    this.since = performance.now();
  }
}
