// Adds CORS headers for an allowed Origin to every answer, errors included, and Vary: Origin once
// CORS is configured (the rules are lib/http/cors.ts; never Access-Control-Allow-Credentials).
import type { MiddlewareObj, Request } from '@middy/core';
import { withCors } from '../cors.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/** @param origins the allowed origins (CORS_ORIGINS), read at each answer so configuration loads lazily. */
export function cors(origins: () => readonly string[]): MiddlewareObj<HttpEvent, HttpResult> {
  const apply = (request: Request<HttpEvent, HttpResult>) => {
    if (request.response) request.response = withCors(request.event, request.response, origins());
  };
  return { name: 'cors', after: apply, onError: apply };
}
