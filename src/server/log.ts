/**
 * Structured logs: one JSON object per line on stdout, so a log shipper can index fields
 * (`deviceId`, `accepted`, `ms`) without parsing sentences. Tests pass level 'silent'.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function isLogLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && value in RANK;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
    if (RANK[at] < RANK[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function describeError(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, stack: error.stack };
  return { error: String(error) };
}

/**
 * The server's audit log (issue 17): one JSON object per line of what changed who may reach the
 * store's books: enrollments and refused enrollments, pairing codes made, revocations, and refused
 * requests. Never a token, a pairing code or a PIN hash.
 */
export interface AuditLog {
  record(event: string, fields: LogFields): void;
}

/** An audit log that keeps nothing (tests that do not read it). */
export const NO_AUDIT_LOG: AuditLog = { record() {} };

/** Field names never written to the audit log, whatever a caller passes: secrets stay out of it. */
const SECRET_FIELDS = new Set(['token', 'tokenhash', 'code', 'codehash', 'pairingcode', 'setupcode', 'pin', 'pinhash', 'authorization', 'password']);

/** The fields an audit line may carry: everything but the secret ones (by name, case-insensitively). */
export function auditFields(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !SECRET_FIELDS.has(name.toLowerCase())));
}

/**
 * The audit log as a file of JSON lines `{time, event, ...fields}`, appended and written through
 * at once (a line is on disk before the request is answered), so it survives a crash. main.ts
 * keeps it in the data directory (or PERPETUA_AUDIT_LOG).
 */
export function createFileAuditLog(path: string, now: () => Date = () => new Date()): AuditLog & { close(): void } {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o600);
  let open = true;
  return {
    record(event, fields) {
      if (!open) return;
      const { time: _time, event: _event, ...rest } = auditFields(fields);
      writeSync(fd, `${JSON.stringify({ time: now().toISOString(), event, ...rest })}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
