/// <reference lib="webworker" />
/**
 * The service worker: serves the app shell from the precache so the till opens with no network,
 * and (see sync handlers) drains the outbox when the browser fires Background Sync.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import { registerSyncHandlers } from './sync.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The first install takes control of the open page at once, so it works offline from the first visit.
// Later versions wait for the page's "reload" prompt (SKIP_WAITING below).
clientsClaim();
registerSyncHandlers(self);

// Every page navigation gets the cached app shell, except the API, which must reach the server,
// and the setup page (server-rendered: it must show the store's certificate and addresses of now).
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/setup(\/|$)/] }));

// The page asks before a new version takes over, so a cashier is never switched mid-sale.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// A low-stock notification (src/ui/owner/stock-alert-watch.ts) opens the product on the owner's
// device: in a window of the app already open, else a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data as { url?: string } | null)?.url ?? '/#/today', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const open = windows[0];
      if (open) {
        await open.focus();
        await open.navigate(url);
      } else await self.clients.openWindow(url);
    }),
  );
});
