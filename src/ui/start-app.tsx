/**
 * The app's start once its database is opening (src/ui/main.tsx loads this module in a task of its
 * own): the first screen drawn, then the books folded, sync begun, and the service worker registered.
 */
import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { App } from './App.tsx';
import { INTERACTIVE_MARK } from './screens/SellScreen.tsx';
import { routeOf } from './screens/registry.tsx';
import type { AppContext } from './app-context.ts';
import type { SyncScheduler } from '../sync/index.ts';
import { yieldToBrowser } from '../db/yield-to-browser.ts';

let updateReady = false;
let applyUpdate: (reload?: boolean) => Promise<void> = async () => undefined;
let scheduler: SyncScheduler | null = null;

/**
 * Resolves once the first screen can be used: on Sell when it sets its interactive mark (tiles drawn,
 * scans heard); at once on any other screen, which waits for the books anyway; after `limitMs` at
 * the latest.
 */
function firstScreenReady(limitMs: number): Promise<void> {
  const ready = () => performance.getEntriesByName(INTERACTIVE_MARK).length > 0;
  if (!opensOnSell() || ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new PerformanceObserver(() => ready() && done());
    const timer = setTimeout(done, limitMs);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe({ type: 'mark' });
  });
}

function opensOnSell(): boolean {
  const route = routeOf(location.hash);
  return route === '' || route === 'sell';
}

/** Resolves once `work` has settled, or after `limitMs`, whichever comes first. */
function settledOrAfter(work: Promise<unknown>, limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    void work.catch(() => undefined).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves when the main thread is next idle, or after `limitMs` (Safari has no requestIdleCallback). */
function whenIdle(limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: limitMs });
    else setTimeout(resolve, 0);
  });
}

/**
 * The page's first `Intl` objects load the browser's locale data: 40–60 ms here, once. Made while the
 * database opens, rather than inside the first screen's render, where prices and the store's clock
 * ask for it, and in three tasks: the locale's own data (20–30 ms), its number formats (20–30 ms),
 * then the date formats the store's clock is made of (calendar.ts `StoreClock`, 5–20 ms), where one
 * object made them in one task (issue 19: long tasks on a phone's first start).
 */
async function loadLocaleData(): Promise<void> {
  try {
    new Intl.Locale(navigator.language || 'en').maximize();
  } catch {
    // A language tag Intl refuses: the number format below loads the default locale's data whole.
  }
  await yieldToBrowser();
  new Intl.NumberFormat().format(0);
  await yieldToBrowser();
  // The clock's own locale and fields; its time zone adds about a millisecond later.
  new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23', timeZone: 'UTC' }).format(0);
}

/** `opening`: the app's context as `openAppContext()` opens it. */
export async function startApp(host: HTMLElement, opening: Promise<AppContext>): Promise<void> {
  try {
    // Not in the task that evaluated this module's imports.
    await yieldToBrowser();
    await loadLocaleData();
    const app = await opening;
    // Ask the browser not to evict this origin's data under disk pressure: unsynced sales live here.
    void navigator.storage?.persist?.().catch(() => false);
    const draw = () =>
      render(
        <App app={app} updateReady={updateReady} onUpdate={() => void applyUpdate(true)} onSyncNow={() => scheduler?.syncNow().catch(() => undefined)} />,
        host,
      );
    // index.html's boot frame is not Preact's own markup: render() would leave it in place.
    host.replaceChildren();
    draw();
    // Valuation and COGS are folded, and sync starts, once the first screen can be used: on a slow
    // phone both held up the Sell screen's first tiles (issue 19). The till sells without them.
    await firstScreenReady(3000);
    // Not in the task that drew the first screen (on Today that screen is ready at once): together
    // they were one long task on a phone (issue 19).
    await yieldToBrowser();
    const books = app.buildProjection();
    books.catch((error: unknown) => console.error('Projection failed', error));
    // The service worker of an earlier visit; on a first visit there is none yet, and the sync runs
    // from the page (and asks for Background Sync once the worker below is ready).
    const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration().catch(() => undefined) : undefined;
    // Sync code is not needed to draw the till: it loads after the first paint. A screen that shows
    // the books (Today, Stock, …) draws them first: a first sync's pull, validated in shares of the
    // main thread, otherwise took turns with the fold and the figures came later (issue 19: LCP).
    if (!opensOnSell()) await settledOrAfter(books, 3000);
    const { connectSync } = await import('./connect-sync.ts');
    const connected = connectSync(app, registration);
    scheduler = connected.scheduler;
    // On a first visit the service worker registers once the books and the first sync are done (or
    // 10 s have passed), in an idle moment. Its install downloads and stores every file of the app;
    // that took a phone's CPU from the first screen (Lighthouse on Today, mobile: blocking time
    // 480 → 185 ms without it, issue 19). It is still the first visit's, seconds after it opened.
    // A later visit's registers at once, as before: the browser may find an update on this very
    // navigation, and workbox-window offers it ("New version ready") only if it registers before the
    // update is found or once the new worker waits, not while it installs.
    if (!registration) {
      await settledOrAfter(Promise.all([books, connected.firstSync]), 10_000);
      await whenIdle(2000);
    }
    if ('serviceWorker' in navigator) {
      applyUpdate = registerSW({
        onNeedRefresh() {
          updateReady = true;
          draw();
        },
      });
    }
  } catch (error) {
    host.replaceChildren();
    render(
      <div class="fatal" role="alert">
        <h1>Perpetua cannot start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
        <p>No sale has been lost: nothing could be recorded while the database was unavailable.</p>
      </div>,
      host,
    );
  }
}
