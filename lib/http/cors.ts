// Cross-origin access (CORS) for browser apps on the origins in CORS_ORIGINS: an allowed origin's
// requests get Access-Control-Allow-Origin, and its preflights a 204 naming the route's methods.
// Other origins get no CORS headers, so the browser keeps their pages from reading our answers.
//
// Never Access-Control-Allow-Credentials: our clients send their tokens themselves, in the
// Authorization or X-Auth-Token header, which a page must set explicitly. Without it, a browser
// will not share with a page any answer to a request that carried ambient credentials (cookies, a
// remembered HTTP Basic login), so no foreign page can act on credentials the browser keeps.
import { header } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** Request headers a cross-origin caller may send besides the CORS-safelisted ones. */
const ALLOW_HEADERS = 'authorization, content-type, x-auth-token, device-proof';
/** Answer headers a cross-origin page needs to read: when to retry, why it was refused, where to go, what is allowed, its device proof. */
const EXPOSE_HEADERS = 'retry-after, www-authenticate, location, allow, device-proof';
/** How long a browser may reuse a preflight's answer, in seconds. */
export const PREFLIGHT_MAX_AGE = 600;

/** The request's Origin if `origins` allows it ('*' allows any), else undefined. */
export function allowedOrigin(event: HttpEvent, origins: readonly string[]): string | undefined {
  const origin = header(event, 'origin');
  if (!origin || origins.length === 0) return undefined;
  return origins.includes('*') || origins.includes(origin) ? origin : undefined;
}

/** A CORS preflight: OPTIONS asking, with Access-Control-Request-Method, whether a request may follow. */
export function isPreflight(event: HttpEvent): boolean {
  return event.requestContext?.http?.method?.toUpperCase() === 'OPTIONS' && header(event, 'access-control-request-method') !== undefined;
}

function withVary(result: HttpResult): Record<string, string> {
  const vary = result.headers.vary;
  return { vary: vary && !/\borigin\b/i.test(vary) ? `${vary}, Origin` : (vary ?? 'Origin') };
}

/**
 * Adds CORS headers to an answer. When CORS is configured at all, every answer says it varies by
 * Origin, so a shared cache never hands one origin's answer (with or without CORS headers) to another.
 */
export function withCors(event: HttpEvent, result: HttpResult, origins: readonly string[]): HttpResult {
  if (origins.length === 0) return result;
  const origin = allowedOrigin(event, origins);
  const cors: Record<string, string> = origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS } : {};
  return { ...result, headers: { ...result.headers, ...cors, ...withVary(result) } };
}

/** The answer to a preflight from an allowed origin: 204 with what the route accepts; undefined otherwise. */
export function preflight(event: HttpEvent, methods: readonly string[], origins: readonly string[]): HttpResult | undefined {
  const origin = isPreflight(event) ? allowedOrigin(event, origins) : undefined;
  if (!origin) return undefined;
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': methods.join(', '),
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE),
      vary: 'Origin',
    },
    body: '',
  };
}
