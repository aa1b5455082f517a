/**
 * Where a request came from, for rate limits, the audit log and HSTS. Behind a reverse proxy every
 * request's socket is the proxy's, so the client's address and scheme come from the proxy's
 * X-Forwarded-For / X-Forwarded-Proto headers, but only when the operator says a proxy is there
 * (PERPETUA_TRUST_PROXY=1): anyone can send those headers to a server that faces the network.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The client's address. With a trusted proxy: the last X-Forwarded-For entry, the one the proxy
 * itself appended (earlier entries are whatever the client claimed). Without one: the socket's.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((part) => part.trim()).filter((part) => part !== '');
  const last = list[list.length - 1];
  return last && last.length <= 64 ? last : socketAddress;
}

/** Over TLS to this server, or through a trusted proxy that says the client used HTTPS. */
export function cameOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
