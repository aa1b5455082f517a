/**
 * Issue 19, no layout shift: index.html's boot frame has the till's real size, and nothing on the
 * first screen moves while it loads. Each load is a first visit (a fresh context: the demo seed is
 * written, the catalog read, the books folded) with the CPU slowed 4× as on a phone, so each step
 * lands in a frame of its own. For the Sell screen and the owner's home (Today), at 390×844 and
 * 1280×800, twice each:
 *   - the sum of the page's 'layout-shift' entries (PerformanceObserver, as CLS counts them: no
 *     recent input) stays < 0.05;
 *   - the boot frame's top bar and status bar occupy the same boxes as the loaded till's, and its
 *     main area starts where the till's does.
 * FIRST_PAINT_DIST=<dir> runs it against another build (e.g. main's, where it fails: CLS 0.2–0.85).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { AppServer, PHONE, TABLET, launchBrowser, scrollThroughToday } from './harness.ts';

interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}
type Boxes = Record<'header' | 'statusBar' | 'main', Box | null>;

/** Installed before the page's scripts: sums layout shifts, and notes the boot frame's boxes once parsed. */
const RECORD = `(() => {
  window.__shiftSum = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.__shiftSum += entry.value;
      window.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node ? s.node.nodeName + '.' + s.node.className : '?') });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const r = element.getBoundingClientRect();
    return { top: r.top, left: r.left, width: r.width, height: r.height };
  };
  window.__boxes = () => ({ header: box('.app header.top'), statusBar: box('.app .status-bar'), main: box('.app main') });
  // Every frame while the boot frame is up and styled (the stylesheet sets body's margin to 0): the
  // boxes last seen before the app replaced it.
  const watch = () => {
    if (document.querySelector('.app.boot') === null && document.readyState !== 'loading') return;
    if (document.querySelector('.app.boot') && getComputedStyle(document.body).marginTop === '0px') window.__bootBoxes = window.__boxes();
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();`;

const server = new AppServer({ staticDir: process.env.FIRST_PAINT_DIST ?? 'dist' });
let browser: Browser;

beforeAll(async () => {
  await server.start();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server.dispose();
});

const viewports = [
  { name: 'phone', size: PHONE },
  { name: 'tablet', size: TABLET },
];
const screens = [
  // Loaded: tiles drawn and scans heard (the app's own mark), and the books folded (the fold can
  // still move things: it is why this waits for the owner's figures on Today too).
  { name: 'Sell', path: '/', loaded: '.sell[data-scanner-ready] .product-tile' },
  // Today's parts below its figures are drawn as the page scrolls to them: scrolled to the end
  // (scrolling is not a shift), and back to the top to compare the boxes.
  { name: 'Today', path: '/#/today', loaded: '.today .figure-card', scrollThrough: true },
];

describe('first paint: the boot frame is the till’s size and nothing shifts while it loads', () => {
  for (const viewport of viewports) {
    for (const screen of screens) {
      it(`${screen.name} at ${viewport.size.width}×${viewport.size.height}`, async () => {
        for (let load = 1; load <= 2; load++) {
          const context = await browser.newContext({ viewport: viewport.size });
          try {
            await context.addInitScript({ content: RECORD });
            const page = await context.newPage();
            const cdp = await context.newCDPSession(page);
            await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
            await page.goto(server.url + screen.path);
            await page.waitForSelector('.app:not(.boot)', { timeout: 60_000 });
            await page.waitForSelector(screen.loaded, { timeout: 60_000 });
            if (screen.scrollThrough) {
              await scrollThroughToday(page, 60_000);
              await page.evaluate(() => window.scrollTo(0, 0));
            }
            // The status bar settles after the first sync (Checking… → Online, Sync now); wait for it.
            await page.waitForSelector('[data-testid="network-status"][data-connection="online"]', { timeout: 60_000 });
            await page.waitForTimeout(1500);

            const bootBoxes = await page.evaluate(() => (window as unknown as { __bootBoxes?: Boxes }).__bootBoxes ?? null);
            const tillBoxes = await page.evaluate(() => (window as unknown as { __boxes(): Boxes }).__boxes());
            const shifts = await page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts);
            const shiftSum = await page.evaluate(() => (window as unknown as { __shiftSum: number }).__shiftSum);
            const where = `${screen.name} ${viewport.name}, load ${load}`;

            expect(bootBoxes, `${where}: the boot frame was never drawn`).not.toBeNull();
            for (const part of ['header', 'statusBar'] as const) {
              const boot = bootBoxes?.[part];
              const till = tillBoxes[part];
              expect(boot, `${where}: boot ${part}`).toBeTruthy();
              expect(till, `${where}: till ${part}`).toBeTruthy();
              expect(Math.abs((boot?.top ?? NaN) - (till?.top ?? NaN)), `${where}: ${part} top ${boot?.top} → ${till?.top}`).toBeLessThanOrEqual(1);
              expect(Math.abs((boot?.height ?? NaN) - (till?.height ?? NaN)), `${where}: ${part} height ${boot?.height} → ${till?.height}`).toBeLessThanOrEqual(1);
              expect(Math.abs((boot?.width ?? NaN) - (till?.width ?? NaN)), `${where}: ${part} width`).toBeLessThanOrEqual(1);
            }
            expect(Math.abs((bootBoxes?.main?.top ?? NaN) - (tillBoxes.main?.top ?? NaN)), `${where}: main top`).toBeLessThanOrEqual(1);
            expect(shiftSum, `${where}: layout shifts ${JSON.stringify(shifts)}`).toBeLessThan(0.05);
          } finally {
            await context.close();
          }
        }
      });
    }
  }

  // The worker's install downloads every file of the app: on a first visit it took a phone's CPU from
  // the first screen and the first sync. It comes after them, and still on that first visit.
  it('registers the service worker after the first screen and the first sync, on the first visit', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      await context.addInitScript({
        content: `(() => {
          const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
          window.__registeredAt = [];
          navigator.serviceWorker.register = (...args) => { window.__registeredAt.push(performance.now()); return register(...args); };
        })();`,
      });
      const page = await context.newPage();
      await page.goto(server.url + '/#/today');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000, polling: 100 });
      const seen = await page.evaluate(() => ({
        registeredAt: (window as unknown as { __registeredAt: number[] }).__registeredAt,
        drawnAt: performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint')?.startTime ?? null,
        pulledAt: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) => entry.name.includes('/api/v1/sync/pull')).map((entry) => entry.responseEnd),
      }));
      expect(seen.registeredAt).toHaveLength(1);
      expect(seen.pulledAt.length).toBeGreaterThan(0);
      expect(seen.drawnAt).not.toBeNull();
      expect(seen.registeredAt[0]).toBeGreaterThan(seen.drawnAt ?? Infinity);
      expect(seen.registeredAt[0]).toBeGreaterThan(Math.min(...seen.pulledAt));
    } finally {
      await context.close();
    }
  });
});
