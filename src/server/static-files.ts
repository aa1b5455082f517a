/**
 * Serves the built app from dist/. Hashed assets are cached for a year; everything whose name does
 * not change between releases (index.html, sw.js, the manifest) must be revalidated, or a device
 * would keep running an old service worker. Unknown paths without an extension get index.html so
 * client-side routes survive a reload.
 *
 * Text files are sent compressed when the browser accepts it (issue 19): the build writes
 * `<file>.br` and `<file>.gz` beside each one (vite.config.ts, precompressDirectory), and this
 * handler only chooses among them; it never compresses. A file without variants (a dist built
 * some other way) goes out as it is.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { COMPRESSIBLE_EXTENSIONS, negotiateEncoding } from './compression.ts';
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

/** A file on disk and the precompressed variants found beside it (null: none, or not smaller). */
interface StaticFile {
  path: string;
  size: number;
  /** The file's mtime and size when its variants were looked up: a rebuilt file is looked up again. */
  version: string;
  br: { path: string; size: number } | null;
  gzip: { path: string; size: number } | null;
}

export function createStaticHandler(staticDir: string) {
  const root = resolve(staticDir);
  // Variants found per file, so a request costs one stat (of the file itself) as before, not three.
  // Only files that exist are remembered: a stream of made-up paths cannot grow this map.
  const variantsByPath = new Map<string, StaticFile>();

  async function fileAt(urlPath: string): Promise<StaticFile | null> {
    const path = normalize(join(root, urlPath));
    if (path !== root && !path.startsWith(root + sep)) return null;
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const version = `${info.mtimeMs}:${info.size}`;
    const known = variantsByPath.get(path);
    if (known?.version === version) return known;
    const compressible = COMPRESSIBLE_EXTENSIONS.has(extname(path).toLowerCase());
    const file: StaticFile = {
      path,
      size: info.size,
      version,
      br: compressible ? await variantAt(`${path}.br`, info) : null,
      gzip: compressible ? await variantAt(`${path}.gz`, info) : null,
    };
    variantsByPath.set(path, file);
    return file;
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
    const extension = extname(file.path).toLowerCase();
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    const variant = encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : null;
    const headers: Record<string, string | number> = {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'content-length': variant ? variant.size : file.size,
      'cache-control': cacheControlFor(servedPath),
      'x-content-type-options': 'nosniff',
    };
    // On every compressible file, plain or not: a cache must not give a Brotli body to a client
    // that did not ask for one, nor a plain one to every client because the first had no Brotli.
    if (COMPRESSIBLE_EXTENSIONS.has(extension)) headers.vary = 'Accept-Encoding';
    if (variant) headers['content-encoding'] = encoding;
    // Lets the service worker control the whole origin even if it is ever served from a sub-path.
    if (servedPath === '/sw.js') headers['service-worker-allowed'] = '/';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(variant ? variant.path : file.path).pipe(res);
  };
}

/**
 * A precompressed variant of a file, if it is there, smaller, and not older than the file: the
 * build writes variants after the files, so a file changed since (a hand-patched sw.js, a file
 * copied over the build) has a stale variant, and the file itself must go out instead.
 */
async function variantAt(path: string, original: { size: number; mtimeMs: number }): Promise<{ path: string; size: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size < original.size && info.mtimeMs >= original.mtimeMs ? { path, size: info.size } : null;
  } catch {
    return null;
  }
}
