/** Small helpers over node:http: bounded body reading and JSON replies with precise errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMPRESS_MIN_BYTES, compressJson, negotiateEncoding, type ContentEncoding } from './compression.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers (Retry-After on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** How long a request body may pause between two pieces before it is refused (408). */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 20_000;

/**
 * Reads the whole body, refusing (413) as soon as it grows past `limitBytes`, and (408) when
 * nothing arrives for `idleTimeoutMs`: a client that trickles a body must not hold a request open.
 */
export function readBody(req: IncomingMessage, limitBytes: number, idleTimeoutMs = DEFAULT_BODY_IDLE_TIMEOUT_MS): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer = setTimeout(onIdle, idleTimeoutMs);
    function finish(): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    }
    function fail(error: Error): void {
      finish();
      req.resume();
      reject(error);
    }
    function onIdle(): void {
      fail(
        new HttpError(
          408,
          `The request body stopped arriving: nothing came for ${Math.round(idleTimeoutMs / 1000)} seconds, so the server gave up and stored nothing. Check the connection and send it again.`,
          { reason: 'body-timeout' },
        ),
      );
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limitBytes) {
        fail(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(onIdle, idleTimeoutMs);
    }
    function onEnd(): void {
      finish();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    }
    function onError(error: Error): void {
      fail(error);
    }
    function onAborted(): void {
      fail(new HttpError(400, 'The client closed the connection before the body was complete; nothing was stored.'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(
    413,
    `The request body is larger than the limit of ${limitBytes} bytes; send the events in smaller batches.`,
    { reason: 'body-too-large' },
  );
}

/** How deeply arrays and objects may nest in a request body (events nest 5 or 6 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of arrays and objects in a JSON text, read before JSON.parse so a body of
 * 100,000 "[" costs one pass over its bytes rather than a deep parse and deep recursion later.
 * Brackets inside strings do not count.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

export async function readJson(req: IncomingMessage, limitBytes: number, idleTimeoutMs?: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    req.resume();
    throw new HttpError(415, 'Send the body as JSON with the header Content-Type: application/json.');
  }
  const text = (await readBody(req, limitBytes, idleTimeoutMs)).toString('utf8');
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new HttpError(400, `The JSON is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are allowed. Nothing was stored.`, { reason: 'json-too-deep' });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON (${(error as Error).message}).`, { reason: 'invalid-json' });
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

/** For bodies assembled as text (pull splices stored JSON without parsing it). */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  sendJsonBody(res, status, Buffer.from(text));
}

export function sendError(res: ServerResponse, error: HttpError): void {
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  sendJson(res, error.status, { error: error.message, ...error.details });
}

/** A JSON body assembled from byte parts (the pull route's stored events, joined by the database). */
export function sendJsonBytes(res: ServerResponse, status: number, parts: Buffer[], headers: Record<string, string> = {}): void {
  sendJsonBody(res, status, parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), headers);
}

/** JSON replies: compressed as sendCompressible says. */
function sendJsonBody(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  sendCompressible(res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body);
}

/**
 * Sends a text body (JSON, an export's CSV) compressed when the client accepts it and the body is
 * big enough to gain (issue 19; the levels and the threshold are in compression.ts: CSV is text
 * like JSON, and the same levels pay). Small bodies, errors among them, go out plain and at once.
 * Every such reply says `Vary: Accept-Encoding`, so no cache in between hands a compressed body to
 * a client that did not ask for one. The body is whole in memory: the exports are built as text
 * parts (?part=N), not streamed, so there is no stream to compress.
 */
export function sendCompressible(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  const allHeaders = { ...headers, vary: 'Accept-Encoding' };
  const encoding: ContentEncoding = body.length >= COMPRESS_MIN_BYTES ? negotiateEncoding(res.req?.headers['accept-encoding']) : 'identity';
  if (encoding === 'identity') {
    res.writeHead(status, { ...allHeaders, 'content-length': body.length });
    res.end(body);
    return;
  }
  compressJson(body, encoding).then(
    (compressed) => {
      // The client may have gone, or an error answer been sent, while the body was being compressed.
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...allHeaders, 'content-encoding': encoding, 'content-length': compressed.length });
      res.end(compressed);
    },
    () => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...allHeaders, 'content-length': body.length });
      res.end(body);
    },
  );
}
