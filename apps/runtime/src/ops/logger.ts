// Structured logs: one JSON object per line on stdout (pino), at the level LOG_LEVEL names, so a log
// shipper reads them as they are. Anything that could carry a secret is redacted by key wherever it
// sits in a logged object; request logs name the route, and a path's tokens are masked.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The levels LOG_LEVEL accepts, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL parsed (default `info`); anything else throws, so the runtime refuses to start on a typo. */
export function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw.trim() === '') return 'info';
  const level = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level as LogLevel;
}

/** Keys whose values never reach a log line, at any depth pino's redaction reaches (up to two levels under the top). */
const SECRET_KEYS = ['password', 'secret', 'token', 'authorization', 'cookie', 'smtpUrl', 'webhookSecret', 'inboundSecret', 'apiKey', 'databaseUrl', 'DATABASE_URL', 'SMTP_URL'];
const REDACT = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** A JSON-lines logger at `level`, writing to `destination` (stdout unless given: tests pass a stream). */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream, base: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'nurtureflow', pid: process.pid, ...base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Path parameters whose values are capabilities (signed tokens, keys): masked in logged paths. */
const SECRET_PARAM = /token|secret|sig|key/i;

/** The path to log: the request's path (never its query string) with token-like parameters masked. */
export function loggedPath(path: string, params: Readonly<Record<string, string>>): string {
  let out = path;
  for (const [name, value] of Object.entries(params)) {
    if (value && SECRET_PARAM.test(name)) out = out.split('/').map((seg) => (seg === value || seg === encodeURIComponent(value) ? '…' : seg)).join('/');
  }
  return out;
}

/** An error as a log field: message and stack, without the objects it may hold. */
export function errorField(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return e.stack ? { message: e.message, stack: e.stack } : { message: e.message };
  return { message: String(e) };
}
