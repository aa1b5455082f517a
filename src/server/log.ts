/**
 * Structured logs: one JSON object per line on stdout, so a log shipper can index fields
 * (`deviceId`, `accepted`, `ms`) without parsing sentences. Tests pass level 'silent'.
 */
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
