// Cross-origin access (CORS) for browser apps on the origins in CORS_ORIGINS: an allowed origin's
// requests get Access-Control-Allow-Origin, and its preflights a 204 naming the route's methods.
// Other origins get no CORS headers, so the browser keeps their pages from reading our answers.
// A route may also let a per-request check allow an origin (the OAuth token, userinfo and
// revocation endpoints: the origins of registered browser clients' redirect URIs).
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

/** Whether an origin outside CORS_ORIGINS may read a route's answers (looked up per request). */
export type OriginCheck = (origin: string) => Promise<boolean>;

/** The longest Origin header looked up: a real origin is a scheme, a host and a port. */
const MAX_ORIGIN_LENGTH = 300;

/** RFC 6454 §6.2: browsers send the origin serialised (lower-case host, no default port, no path); only that form is looked up. */
function isSerialisedWebOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * The origins allowed for this request: CORS_ORIGINS, plus the request's own Origin when `check`
 * accepts it. A failing check allows nothing (fails closed): the answer then lacks CORS headers,
 * which costs a browser client one retry, rather than turning the answer itself into an error.
 */
export async function requestOrigins(event: HttpEvent, origins: readonly string[], check?: OriginCheck): Promise<readonly string[]> {
  const origin = header(event, 'origin');
  if (!check || !origin || allowedOrigin(event, origins) !== undefined) return origins;
  if (origin.length > MAX_ORIGIN_LENGTH || !isSerialisedWebOrigin(origin)) return origins;
  try {
    return (await check(origin)) ? [...origins, origin] : origins;
  } catch {
    return origins;
  }
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
 * Adds CORS headers to an answer. When CORS is configured at all (origins, or `varies` for a route
 * with an origin check), every answer says it varies by Origin, so a shared cache never hands one
 * origin's answer (with or without CORS headers) to another.
 */
export function withCors(event: HttpEvent, result: HttpResult, origins: readonly string[], varies = origins.length > 0): HttpResult {
  if (!varies) return result;
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
