/**
 * The Node side of the sync bench page (bench/sync/bench-page.ts): open it and call its functions.
 * Shared by the drain and new-device benchmarks.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { SyncBenchApi } from './bench-page.ts';

export async function openBenchPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[bench page error]', error.message));
  await page.goto(`${url}/bench/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return page;
}

/** Runs `perpetuaSyncBench[name](...args)` in the page and returns its result. */
export const call = <K extends keyof SyncBenchApi>(page: Page, name: K, ...args: Parameters<SyncBenchApi[K]>) =>
  page.evaluate(
    ([fn, list]) => {
      const method = (window as unknown as { perpetuaSyncBench: Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined> }).perpetuaSyncBench[fn];
      if (!method) throw new Error(`the bench page has no ${fn}`);
      return method(...list);
    },
    [name, args] as [string, unknown[]],
  ) as ReturnType<SyncBenchApi[K]>;
