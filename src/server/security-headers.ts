/**
 * The headers every response carries (issue 17): API replies, the app's files, the setup page,
 * errors and 404s alike. server.ts sets them before any route runs.
 *
 * The Content-Security-Policy allows no inline script and no code from elsewhere: the app's
 * scripts, workers and styles are files from this origin; 'wasm-unsafe-eval' lets the barcode
 * decoder (zxing-wasm) compile its WebAssembly; data:/blob: images are the QR codes and photos.
 * connect-src 'self': the app syncs with the server that serves it.
 */
import type { IncomingMessage } from 'node:http';
import { cameOverHttps } from './request-origin.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A year, without includeSubDomains. Browsers apply it to the host name on every port, so it is
 * not sent to `localhost` (the server's own computer keeps the app on plain HTTP); they ignore it
 * for IP addresses.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export function securityHeaders(req: IncomingMessage, trustProxy: boolean): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(cameOverHttps(req, trustProxy) && !isLocalhost(req) ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

function isLocalhost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost');
}
