// Puts the security headers (HSTS, nosniff, no-store, Referrer-Policy, X-Frame-Options) on every
// answer, errors included; a handler's own value wins (public documents set Cache-Control).
import type { MiddlewareObj, Request } from '@middy/core';
import { SECURITY_HEADERS } from '../response.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/** Adds the security headers a response does not already set. */
export function secure(result: HttpResult): HttpResult {
  return { ...result, headers: { ...SECURITY_HEADERS, ...result.headers } };
}

export function securityHeaders(): MiddlewareObj<HttpEvent, HttpResult> {
  const apply = (request: Request<HttpEvent, HttpResult>) => {
    if (request.response) request.response = secure(request.response);
  };
  return { name: 'security-headers', after: apply, onError: apply };
}
