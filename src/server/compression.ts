/**
 * Content coding (issue 19): which encoding a client accepts, and compressing a JSON body in it.
 *
 * Static files are never compressed here: vite.config.ts writes `<file>.br` and `<file>.gz` beside
 * each text asset at build, and static-files.ts only picks one. This module is for the API's JSON
 * (pull pages of up to 20,000 events) and CSV exports, compressed per response because each one is
 * different. The levels below are the ones bench/server/compression.bench.ts shows to pay on a
 * shop's Wi-Fi without costing the server much CPU per page (see bench/README.md, "Compression").
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { constants, brotliCompress, gzip } from 'node:zlib';
import { promisify } from 'node:util';

/** What a response body may be sent as. `identity` is the body unchanged. */
export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** Bodies smaller than this go out plain: a few hundred bytes gain nothing worth a compression call. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli 1 and gzip 1 for JSON, chosen by bench/server/compression.bench.ts on real pull pages
 * (5,000 sale events, 3.3 MB plain): Brotli 1 sends 9 times fewer bytes for about 8 ms of CPU per
 * page, so 100,000 events take about 3.1 s instead of 26.6 s on 20 Mbit/s Wi-Fi and 0.75 s instead
 * of 5.3 s on 100 Mbit/s, and on loopback no longer than plain. Brotli 4 or 5 save another 12–18 %
 * of bytes for 5–7 times the CPU, which loses on 100 Mbit/s and on loopback, where a new device
 * pulling 1,000,000 events pays it 200 times. gzip 1 (10 ms, 8 times fewer bytes) is for clients
 * without Brotli. Figures: bench/README.md, "Compression".
 */
export const JSON_BROTLI_QUALITY = 1;
export const JSON_GZIP_LEVEL = 1;

const brotliCompressAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The encoding to send, from a request's Accept-Encoding (RFC 9110 §12.5.3): the highest q-value
 * among br and gzip wins, br on a tie; `*` stands for any coding not named; a coding with q=0 is
 * refused. Without the header, or when nothing compressed is acceptable, the body goes out as is
 * (identity is sent even when a client refuses it: a 406 would help no browser).
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  if (!header) return 'identity';
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [rawCoding, ...params] = entry.split(';');
    const coding = (rawCoding ?? '').trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((part) => part.trim().toLowerCase());
      if (name === 'q') q = qValue(value);
    }
    // x-gzip is an old alias of gzip (RFC 9110 §8.4.1.3).
    const name = coding === 'x-gzip' ? 'gzip' : coding;
    weights.set(name, Math.max(weights.get(name) ?? 0, q));
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gz = weightOf('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

/** A q-value is 0 to 1 with up to three decimals; anything else is read as 0 (not acceptable). */
function qValue(text: string | undefined): number {
  if (text === undefined || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) return 0;
  return Number(text);
}

/**
 * A JSON body compressed in `encoding` at the levels above. Asynchronous on purpose: zlib then runs
 * on libuv's thread pool, so a 2 MB page being compressed does not stop the server's event loop
 * from answering other devices (a synchronous Brotli call on such a page blocks it for milliseconds).
 * `identity` returns the bytes unchanged. Exported for the pull route, which may cache page bodies.
 */
export async function compressJson(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  switch (encoding) {
    case 'br':
      return brotliCompressAsync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: JSON_BROTLI_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      });
    case 'gzip':
      return gzipAsync(body, { level: JSON_GZIP_LEVEL });
    case 'identity':
      return body;
  }
}

/** The files worth compressing: text, and the barcode decoder's .wasm (about 950 KB, a third of that in Brotli). */
export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.wasm',
  '.txt',
  '.map',
]);

/** Static files are compressed once, at build, so the slowest, smallest settings pay. */
export const STATIC_BROTLI_QUALITY = 11;
export const STATIC_GZIP_LEVEL = 9;
/**
 * Source maps are fetched only by developer tools, yet they are three quarters of dist/'s bytes:
 * at quality 11 they took 20 of the build's 28 CPU seconds here, at quality 5 under one.
 */
export const SOURCE_MAP_BROTLI_QUALITY = 5;

export interface PrecompressSummary {
  files: number;
  rawBytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

/**
 * Writes `<file>.br` (Brotli 11) and `<file>.gz` (gzip 9) beside every compressible file under
 * `dir`, for static-files.ts to send. A variant that would not be smaller is not written (and an
 * old one removed), so the server sends the file itself. The files are compressed in parallel on
 * zlib's thread pool. The summary counts, for each encoding, the bytes a browser would receive
 * (the variant where there is one, else the file).
 */
export async function precompressDirectory(dir: string): Promise<PrecompressSummary> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile() && COMPRESSIBLE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(entry.parentPath, entry.name));
  const sizes = await Promise.all(
    paths.map(async (path) => {
      const raw = await readFile(path);
      const [brotli, gzipped] = await Promise.all([
        brotliCompressAsync(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: extname(path) === '.map' ? SOURCE_MAP_BROTLI_QUALITY : STATIC_BROTLI_QUALITY,
            [constants.BROTLI_PARAM_MODE]: extname(path) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzipAsync(raw, { level: STATIC_GZIP_LEVEL }),
      ]);
      return {
        raw: raw.length,
        brotli: await writeIfSmaller(`${path}.br`, brotli, raw.length),
        gzip: await writeIfSmaller(`${path}.gz`, gzipped, raw.length),
      };
    }),
  );
  return {
    files: paths.length,
    rawBytes: sizes.reduce((sum, size) => sum + size.raw, 0),
    brotliBytes: sizes.reduce((sum, size) => sum + size.brotli, 0),
    gzipBytes: sizes.reduce((sum, size) => sum + size.gzip, 0),
  };
}

/** Writes the variant if it is smaller than the file; returns the bytes a browser will receive. */
async function writeIfSmaller(path: string, variant: Buffer, rawSize: number): Promise<number> {
  if (variant.length < rawSize) {
    await writeFile(path, variant);
    return variant.length;
  }
  await rm(path, { force: true });
  return rawSize;
}
