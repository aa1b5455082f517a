/**
 * The routes that get a device onto the shop's network, in front of the app (app.ts):
 *
 *   GET /setup                 the setup page (setup-page.ts); ?code=ABCD-1234 rides into the app link
 *   GET /setup/store-ca.crt    the store CA certificate (public part, DER), 404 with an own certificate
 *   GET /setup/info.json       {setupUrl, appUrl}: the addresses the owner's device shows as a QR code
 *   GET /setup/setup.css       the setup page's styles (no inline style: the Content-Security-Policy)
 *
 * A browser on another machine that asks for the app over plain HTTP (a navigation: GET of an HTML
 * page) is sent to /setup: without HTTPS it would get an app with no service worker, camera or
 * Web Locks. The server's own computer (loopback) keeps the app on HTTP, and the sync API keeps
 * answering over HTTP, so devices paired over HTTP before HTTPS existed go on syncing.
 * /setup/continue-over-http lets such a device open the old app once more (a cookie) to send the
 * sales still waiting in its outbox.
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isLoopbackAddress } from './enrollment.ts';
import { renderSetupPage, SETUP_PAGE_CSS, SETUP_PAGE_CSS_PATH } from './setup-page.ts';
import type { TlsCredentials } from './tls/tls-credentials.ts';

export const CA_DOWNLOAD_PATH = '/setup/store-ca.crt';
const STAY_ON_HTTP_COOKIE = 'perpetua-stay-on-http=1';

export interface SetupContext {
  storeName: string;
  httpPort(): number;
  /** The HTTPS listener, or null when the server serves plain HTTP only. */
  https(): { port: number; credentials: TlsCredentials } | null;
  /** PUBLIC_URL: the app's address behind a reverse proxy, instead of this server's own HTTPS. */
  publicUrl: string | null;
}

/** The address other devices on the LAN use: the first LAN IPv4 address, else the host name. */
export function lanHostOf(credentials: TlsCredentials | null, fallbackNames: { dnsNames: string[]; ipAddresses: string[] }): string {
  const names = credentials ?? fallbackNames;
  const ipv4 = names.ipAddresses.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && !ip.startsWith('127.'));
  return ipv4 ?? names.dnsNames.find((n) => n !== 'localhost' && !n.startsWith('*')) ?? 'localhost';
}

function withPort(scheme: 'http' | 'https', host: string, port: number): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return `${scheme}://${bracketed}${port === defaultPort ? '' : `:${port}`}`;
}

/** The app's HTTPS origin as this request should see it: the name it used, if the certificate covers it. */
export function appOrigin(ctx: SetupContext, requestHost: string | null, lanNames: { dnsNames: string[]; ipAddresses: string[] }): string | null {
  if (ctx.publicUrl) return ctx.publicUrl.replace(/\/$/, '');
  const https = ctx.https();
  if (!https) return null;
  const { credentials } = https;
  const covered = requestHost !== null && (credentials.dnsNames.includes(requestHost) || credentials.ipAddresses.includes(requestHost));
  const usable = covered && requestHost !== 'localhost' && !isLoopbackAddress(requestHost) ? requestHost : lanHostOf(credentials, lanNames);
  return withPort('https', usable, https.port);
}

export function setupUrl(ctx: SetupContext, lanNames: { dnsNames: string[]; ipAddresses: string[] }, code: string | null): string {
  const base = `${withPort('http', lanHostOf(ctx.https()?.credentials ?? null, lanNames), ctx.httpPort())}/setup`;
  return code ? `${base}?code=${encodeURIComponent(code)}` : base;
}

/** Pairing codes are letters, digits and dashes; anything else in ?code= is ignored. */
export function pairingCodeFrom(value: string | null): string | null {
  return value !== null && /^[A-Za-z0-9-]{4,32}$/.test(value) ? value.toUpperCase() : null;
}

export function appLinkFor(origin: string, code: string | null): string {
  return code ? `${origin}/#/pair?code=${encodeURIComponent(code)}` : `${origin}/#/settings`;
}

function hostOf(req: IncomingMessage): string | null {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}

/** Plain HTTP from another machine, asking for a page of the app (not the API, not a file). */
export function isPlainHttpNavigationFromLan(req: IncomingMessage, path: string): boolean {
  if ((req.socket as TLSSocket).encrypted) return false;
  if (req.headers['x-forwarded-proto'] === 'https') return false; // behind a TLS-terminating proxy
  if (isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  if (path.startsWith('/api/') || path === '/api' || path.startsWith('/setup')) return false;
  if ((req.headers.cookie ?? '').includes(STAY_ON_HTTP_COOKIE)) return false;
  const last = path.split('/').pop() ?? '';
  return !last.includes('.') || last.endsWith('.html');
}

/** Handles the request and returns true, or returns false for the app to handle it. */
export function createSetupRoutes(ctx: SetupContext, lanNames: () => { dnsNames: string[]; ipAddresses: string[] }) {
  return function handleSetup(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname;
    if (path === '/setup' || path === '/setup/') {
      const code = pairingCodeFrom(url.searchParams.get('code'));
      const origin = appOrigin(ctx, hostOf(req), lanNames());
      const caPem = ctx.https()?.credentials.caCertificatePem ?? null;
      const html = renderSetupPage({
        storeName: ctx.storeName,
        appLink: origin ? appLinkFor(origin, code) : null,
        caFingerprint: caPem && !ctx.publicUrl ? new NodeX509Certificate(caPem).fingerprint256 : null,
        caDownloadPath: CA_DOWNLOAD_PATH,
        code,
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
      res.end(req.method === 'HEAD' ? undefined : html);
      return true;
    }
    if (path === SETUP_PAGE_CSS_PATH) {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache', 'content-length': Buffer.byteLength(SETUP_PAGE_CSS) });
      res.end(req.method === 'HEAD' ? undefined : SETUP_PAGE_CSS);
      return true;
    }
    if (path === CA_DOWNLOAD_PATH) {
      const caPem = ctx.https()?.credentials.caCertificatePem ?? null;
      if (!caPem) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('This server uses a certificate from a public authority: there is no store certificate to install.');
        return true;
      }
      const der = new NodeX509Certificate(caPem).raw;
      res.writeHead(200, {
        'content-type': 'application/x-x509-ca-cert',
        'content-disposition': 'attachment; filename="perpetua-store-ca.crt"',
        'content-length': der.length,
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : der);
      return true;
    }
    if (path === '/setup/info.json') {
      const origin = appOrigin(ctx, null, lanNames());
      const body = JSON.stringify({ setupUrl: setupUrl(ctx, lanNames(), null), appUrl: origin ? `${origin}/` : null });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
      res.end(body);
      return true;
    }
    if (path === '/setup/continue-over-http') {
      res.writeHead(303, { location: '/', 'set-cookie': `${STAY_ON_HTTP_COOKIE}; Path=/; Max-Age=2592000; SameSite=Lax` });
      res.end();
      return true;
    }
    if ((ctx.https() !== null || ctx.publicUrl !== null) && isPlainHttpNavigationFromLan(req, path)) {
      res.writeHead(302, { location: '/setup', 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    return false;
  };
}
