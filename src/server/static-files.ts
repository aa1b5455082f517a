/**
 * Serves the built app from dist/. Hashed assets are cached for a year; everything whose name does
 * not change between releases (index.html, sw.js, the manifest) must be revalidated, or a device
 * would keep running an old service worker. Unknown paths without an extension get index.html so
 * client-side routes survive a reload.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export function cacheControlFor(urlPath: string): string {
  // Vite puts content-hashed files under /assets/; their names change whenever their bytes do.
  return urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
}

export function createStaticHandler(staticDir: string) {
  const root = resolve(staticDir);

  async function fileAt(urlPath: string): Promise<{ path: string; size: number } | null> {
    const path = normalize(join(root, urlPath));
    if (path !== root && !path.startsWith(root + sep)) return null;
    try {
      const info = await stat(path);
      return info.isFile() ? { path, size: info.size } : null;
    } catch {
      return null;
    }
  }

  return async function serveStatic(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed');
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad path');
      return;
    }
    let servedPath = decoded === '/' ? '/index.html' : decoded;
    let file = await fileAt(servedPath);
    if (!file && extname(decoded) === '') {
      servedPath = '/index.html';
      file = await fileAt(servedPath);
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': REVALIDATE });
      res.end(`Not found: ${decoded}`);
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': file.size,
      'cache-control': cacheControlFor(servedPath),
      'x-content-type-options': 'nosniff',
    };
    // Lets the service worker control the whole origin even if it is ever served from a sub-path.
    if (servedPath === '/sw.js') headers['service-worker-allowed'] = '/';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path).pipe(res);
  };
}
