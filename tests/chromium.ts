/**
 * How tests and benchmarks start Chromium: Debian's own build (Playwright cannot download browsers
 * here), headless, with the background services that would add noise or reach the network turned off.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
