/** Starting the real server for tests and talking to it over HTTP on loopback. */
import { request, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.ts';

export async function startTestServer(options: ServerOptions): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', staticDir: null, ...options });
}

/**
 * A POST whose body the test writes itself, piece by piece (`send` gets the open request): for
 * bodies cut off by a shutdown or sent in chunks. `tolerateReset` ignores the connection closing
 * under the writer, as a server may after answering 413 early.
 */
export function rawPost(
  url: string,
  headers: OutgoingHttpHeaders,
  send: (req: ClientRequest) => void,
  options: { tolerateReset?: boolean } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (options.tolerateReset && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) return;
      reject(error);
    });
    send(req);
  });
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function api(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string; json?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.json !== undefined) body = JSON.stringify(init.json);
  if (init.rawBody !== undefined) body = init.rawBody;
  if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export interface EnrolledDevice {
  deviceId: string;
  token: string;
  storeId: string;
  role: string;
}

export async function enroll(baseUrl: string, pairingCode: string | undefined, deviceName: string, deviceId?: string): Promise<EnrolledDevice> {
  const res = await api(baseUrl, '/api/v1/devices/enroll', {
    json: { ...(pairingCode !== undefined ? { pairingCode } : {}), deviceName, ...(deviceId ? { deviceId } : {}) },
  });
  if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as EnrolledDevice;
}

/** Enrolls the owner with the setup code, then `count` devices with pairing codes. */
export async function enrollDevices(server: RunningServer, count: number): Promise<EnrolledDevice[]> {
  if (!server.setupCode) throw new Error('server has no setup code (devices already enrolled?)');
  const owner = await enroll(server.url, server.setupCode, 'Owner tablet', 'dev-owner');
  const devices = [owner];
  for (let i = 1; i < count; i += 1) {
    const code = await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token });
    devices.push(await enroll(server.url, (code.body as { code: string }).code, `Till ${i}`, `dev-${i}`));
  }
  return devices;
}

export async function pullAllEvents(baseUrl: string, token: string, limit = 1000): Promise<{ id: string; [key: string]: unknown }[]> {
  const events: { id: string }[] = [];
  let cursor = '0';
  for (;;) {
    const res = await api(baseUrl, `/api/v1/sync/pull?after=${cursor}&limit=${limit}`, { token });
    if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body as { events: { id: string }[]; cursor: string; hasMore: boolean };
    events.push(...page.events);
    cursor = page.cursor;
    if (!page.hasMore) return events;
  }
}

/** A response read as raw bytes (Node's http does not decompress; fetch would). */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with exactly these headers, the body as the server sent it (compressed or not). */
export function rawRequest(url: string, headers: Record<string, string>, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
