// The one way lazy migration talks to the legacy system (docs/migration.md): every call of one
// login shares one time budget (MIGRATE_TIMEOUT_MS), a 4xx is the legacy system's "no" and is never
// retried, and what is not an answer (network error, timeout, 5xx, a body that is not JSON) is
// retried once within the budget and then becomes DependencyUnavailableError: the client hears 503,
// never a 401 it would show as "wrong password". Only the dialect, path, status and duration are
// logged: requests carry passwords (in bodies and Basic headers) and answers carry tokens.
import { DependencyUnavailableError } from '../domain/errors.ts';
import type { LegacyDialect } from '../domain/legacy-login.ts';
import { log } from '../support/log.ts';
import { countMetric } from '../support/metrics.ts';

export interface LegacyRequest {
  method: 'GET' | 'POST';
  /** Appended to the base URL as is (a base URL's own path is kept). */
  path: string;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
}

/** A JSON answer (2xx), or the legacy system's refusal (a 4xx, its status kept for the log). */
export type LegacyAnswer = { kind: 'answer'; body: unknown } | { kind: 'refused'; status: number };

export interface LegacyHttpSettings {
  baseUrl: string;
  dialect: LegacyDialect;
  timeoutMs: number;
  /** Tests hand in their own; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The calls of one login: they share one budget, so a slow login answer leaves less for the profile call. */
export type LegacySession = (request: LegacyRequest) => Promise<LegacyAnswer>;

/** 408 and 429 are the legacy system being busy, not a verdict on the password: an outage, not retried (it asked us to slow down). */
const BUSY = new Set([408, 429]);
/** An answer larger than this is not a login answer. */
const MAX_ANSWER_BYTES = 1_000_000;

class NotAnAnswer extends Error {}

/** Starts the calls of one login; the budget starts now. */
export function legacySession(settings: LegacyHttpSettings): LegacySession {
  const budget = AbortSignal.timeout(settings.timeoutMs);
  const send = settings.fetch ?? fetch;
  const base = settings.baseUrl.replace(/\/+$/, '');

  async function once(request: LegacyRequest, attempt: number): Promise<LegacyAnswer> {
    const started = performance.now();
    const fields = { dialect: settings.dialect, method: request.method, path: request.path, attempt };
    let status: number | undefined;
    try {
      const response = await send(`${base}${request.path}`, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.json === undefined ? undefined : JSON.stringify(request.json),
        redirect: 'manual',
        signal: budget,
      });
      status = response.status;
      const text = await response.text();
      const durationMs = Math.round(performance.now() - started);
      if (status >= 400 && status < 500 && !BUSY.has(status)) {
        log.info('legacy login call refused', { ...fields, status, durationMs });
        return { kind: 'refused', status };
      }
      if (BUSY.has(status)) throw new DependencyUnavailableError(new Error(`the legacy system answered ${status}`));
      // A redirect (a missing trailing slash, an HTTPS upgrade) is a wrong MIGRATE_FROM_URL: not an answer.
      if (status < 200 || status >= 300) throw new NotAnAnswer(`the legacy system answered ${status}`);
      if (text.length > MAX_ANSWER_BYTES) throw new NotAnAnswer('the legacy answer is too large');
      const body = parseJson(text);
      if (body === undefined) throw new NotAnAnswer(`the legacy system answered ${status} without a JSON body`);
      log.info('legacy login call answered', { ...fields, status, durationMs });
      return { kind: 'answer', body };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      countMetric('LegacyLoginFailures');
      // The cause is our own sentence or fetch's (which names the URL, never the request's body or headers).
      log.warn('legacy login call failed', { ...fields, status, durationMs, reason: budget.aborted ? 'timeout' : reasonOf(error) });
      throw error;
    }
  }

  return async (request) => {
    countMetric('LegacyLoginCalls');
    try {
      return await once(request, 1);
    } catch (error) {
      if (error instanceof DependencyUnavailableError) throw error;
      // One retry, only within the budget: a timeout has spent it.
      if (budget.aborted) throw unavailable(error);
      try {
        return await once(request, 2);
      } catch (again) {
        throw again instanceof DependencyUnavailableError ? again : unavailable(again);
      }
    }
  };
}

function unavailable(error: unknown): DependencyUnavailableError {
  const reason = error instanceof NotAnAnswer ? error.message : `the legacy system could not be reached (${reasonOf(error)})`;
  return new DependencyUnavailableError(new Error(reason));
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** An accepted login whose answer lacks what every dialect's documented answer has (a token): not an answer, 503. */
export function unreadableAnswer(dialect: LegacyDialect, what: string): DependencyUnavailableError {
  log.warn('legacy login answer unreadable', { dialect, missing: what });
  return new DependencyUnavailableError(new Error(`the ${dialect} login answer has no ${what}`));
}
