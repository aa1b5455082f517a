/**
 * Content coding (issue 19): which encoding a client accepts, and compressing a JSON body in it.
 *
 * Static files are never compressed here: vite.config.ts writes `<file>.br` and `<file>.gz` beside
 * each text asset at build, and static-files.ts only picks one. This module is for the API's JSON
 * (pull pages of up to 5,000 events, about 2 MB each), compressed per response because each one is
 * different. The levels below are the ones bench/server/compression.bench.ts shows to pay on a
 * shop's Wi-Fi without costing the server much CPU per page (see bench/README.md, "Compression").
 */
import { constants, brotliCompress, gzip } from 'node:zlib';
import { promisify } from 'node:util';

/** What a response body may be sent as. `identity` is the body unchanged. */
export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** Bodies smaller than this go out plain: a few hundred bytes gain nothing worth a compression call. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli 4 and gzip 1 for JSON: on a 2 MB pull page, Brotli 4 costs a few times gzip 1's CPU but
 * sends clearly fewer bytes, and on 20–100 Mbit/s Wi-Fi the bytes dominate; higher levels cost much
 * more CPU for a few percent. gzip is for the rare client without Brotli. Figures: bench/README.md.
 */
export const JSON_BROTLI_QUALITY = 4;
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
