// Structured JSON logs, one line per event. Anything that looks like a secret is redacted before
// it is written, so a careless `log.info('x', { body })` cannot leak a password or a token.

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// MFA (issue 17): TOTP codes and otpauth:// URIs (they carry the secret), recovery codes, sealed secrets.
const SECRET_KEY = /pass(word)?|secret|token|hash|authorization|cookie|proof|private|credential|otp|recovery|ciphertext|wrapped|^code$|^(d|p|q|dp|dq|qi|k)$/i;
const REDACTED = '[redacted]';

function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // The cause too: a DependencyUnavailableError carries the original failure there.
    const cause = value.cause === undefined ? {} : { cause: redact(value.cause, depth + 1) };
    return { name: value.name, message: value.message, stack: value.stack, ...cause };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
  }
  return out;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL || 'info').toLowerCase() as Level;
  return ORDER[level] ?? ORDER.info;
}

/**
 * Fields every line carries until cleared: the request id and route while a request runs (set by
 * the request-log-context middleware). Module state is enough: a Lambda instance serves one request at a time.
 */
let context: Record<string, unknown> = {};

/** Adds `fields` to every following line, replacing any earlier context. */
export function setLogContext(fields: Record<string, unknown>): void {
  context = { ...fields };
}

export function clearLogContext(): void {
  context = {};
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...(redact({ ...context, ...fields }) as object) });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};

export { redact as redactForLog };
