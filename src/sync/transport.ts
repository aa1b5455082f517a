/**
 * HTTP calls to the sync API with a timeout. Every failure becomes a SyncHttpError that says whether
 * trying again later can help (network down, server error, hang) or not (token revoked).
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { EnrollResponse, InvalidEventsResponse, PulledAnswer, PulledPageHead, PushResponse } from './api-types.ts';

export class SyncHttpError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when no answer arrived (offline, refused, timed out). */
    readonly status: number,
    readonly retryable: boolean,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }

  /** The server's word for why it refused (its answer's `reason`), when it gave one. */
  get reason(): string | undefined {
    const reason = typeof this.body === 'object' && this.body !== null ? (this.body as { reason?: unknown }).reason : undefined;
    return typeof reason === 'string' ? reason : undefined;
  }
}

export interface SyncTransport {
  push(events: LedgerEvent[]): Promise<PushResponse>;
  /**
   * `count`: ask the server how many events follow this page (`remaining`): the first page of a run
   * does. The answer carries the Blob its body was read from (`asSent`): pull.ts may keep it as sent.
   * `onHead`: called as soon as the answer's headers name the page's end (a server from before
   * issue 19's headers does not: then only the body does).
   */
  pull(after: string, limit: number, options?: { count?: boolean; onHead?: (head: PulledPageHead) => void }): Promise<PulledAnswer>;
}

/** The headers in which the server names a pull page's end (src/server/app.ts PULL_CURSOR_HEADER). */
export const PULL_CURSOR_HEADER = 'X-Perpetua-Pull-Cursor';
export const PULL_HAS_MORE_HEADER = 'X-Perpetua-Pull-Has-More';
export const PULL_TOTAL_HEADER = 'X-Perpetua-Pull-Total';

/** The page's end from its headers, or undefined when they are absent or not what the server sends. */
export function pageHeadOf(headers: Headers): PulledPageHead | undefined {
  const cursor = headers.get(PULL_CURSOR_HEADER);
  const hasMore = headers.get(PULL_HAS_MORE_HEADER);
  if (cursor === null || !/^\d{1,16}$/.test(cursor) || (hasMore !== 'true' && hasMore !== 'false')) return undefined;
  const total = headers.get(PULL_TOTAL_HEADER);
  return { cursor, hasMore: hasMore === 'true', ...(total !== null && /^\d{1,15}$/.test(total) ? { total: Number(total) } : {}) };
}

export interface HttpTransportOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * The highest own seq the device has recorded, read afresh for each push and pull and sent as
   * DEVICE_SEQ_HEADER: the owner's Devices screen counts what never reached the server from it.
   */
  ownSeq?: () => Promise<number>;
}

/** The header that carries `ownSeq` (src/server/app.ts reads it). */
export const DEVICE_SEQ_HEADER = 'X-Perpetua-Device-Seq';

/** The code of the server's 401 for a device the owner revoked. */
export const DEVICE_REVOKED_CODE = 'device-revoked';

/** Whether the server refused this device because the owner revoked it. */
export function isDeviceRevoked(error: unknown): boolean {
  return (
    error instanceof SyncHttpError &&
    error.status === 401 &&
    typeof error.body === 'object' &&
    error.body !== null &&
    (error.body as { code?: unknown }).code === DEVICE_REVOKED_CODE
  );
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export function createHttpTransport(options: HttpTransportOptions): SyncTransport {
  const call = async <T>(path: string, init: RequestInit, reading: ReadingOptions = {}) => {
    const ownSeq = options.ownSeq ? await options.ownSeq() : null;
    return requestJson<T>(options, path, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${options.token}`,
        ...(ownSeq === null ? {} : { [DEVICE_SEQ_HEADER]: String(ownSeq) }),
      },
    }, reading);
  };
  return {
    push: (events) =>
      call<PushResponse>('/api/v1/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      }),
    pull: (after, limit, options) => {
      const onHead = options?.onHead;
      const onHeaders = onHead
        ? (headers: Headers) => {
            const head = pageHeadOf(headers);
            if (head) onHead(head);
          }
        : undefined;
      return call<PulledAnswer>(`/api/v1/sync/pull?after=${encodeURIComponent(after)}&limit=${limit}${options?.count ? '&count=1' : ''}`, { method: 'GET' }, { keepBlob: true, onHeaders });
    },
  };
}

/** `token`: the device's current token, sent only to the server it is paired with, proves it is that device. */
export async function postEnroll(
  options: Omit<HttpTransportOptions, 'token'> & { token?: string },
  body: { pairingCode?: string; deviceName: string; deviceId?: string; onlyStoreId?: string },
): Promise<EnrollResponse> {
  return requestJson<EnrollResponse>(options, '/api/v1/devices/enroll', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/**
 * `keepBlob`: hand over the body's Blob with the JSON (`asSent`), for a pull page kept as sent.
 * `onHeaders`: a successful answer's headers, as soon as they arrive and before its body is read.
 */
interface ReadingOptions {
  keepBlob?: boolean;
  onHeaders?: (headers: Headers) => void;
}

async function requestJson<T>(options: Omit<HttpTransportOptions, 'token'>, path: string, init: RequestInit, reading: ReadingOptions = {}): Promise<T> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  let blob: Blob;
  let text: string;
  try {
    response = await doFetch(`${options.baseUrl.replace(/\/$/, '')}${path}`, { ...init, signal: controller.signal });
    if (response.ok) reading.onHeaders?.(response.headers);
    // Not response.text(): on a 3.6 MB pull page Chromium's text() costs the page more main-thread
    // time than blob().text() (the sync benchmark's probe measures both: bench/README.md, "Sync").
    blob = await response.blob();
    text = await blob.text();
  } catch (error) {
    const message = controller.signal.aborted
      ? `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`
      : `The server cannot be reached (${(error as Error).message}); check the network.`;
    throw new SyncHttpError(message, 0, true);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (response.ok) return (reading.keepBlob && typeof body === 'object' && body !== null ? { ...body, asSent: blob } : body) as T;
  const serverMessage =
    typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : `HTTP ${response.status}`;
  // 408/429 and 5xx are passing conditions; other 4xx will not change by waiting.
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new SyncHttpError(serverMessage, response.status, retryable, body);
}

export function isInvalidEventsResponse(body: unknown): body is InvalidEventsResponse {
  return typeof body === 'object' && body !== null && Array.isArray((body as { rejected?: unknown }).rejected);
}
