// Adds CORS headers for an allowed Origin to every answer, errors included, and Vary: Origin once
// CORS is configured (the rules are lib/http/cors.ts; never Access-Control-Allow-Credentials).
import type { MiddlewareObj, Request } from '@middy/core';
import { type OriginCheck, requestOrigins, withCors } from '../cors.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/**
 * @param origins the allowed origins (CORS_ORIGINS), read at each answer so configuration loads lazily.
 * @param check allows further origins request by request (registered OAuth clients' origins).
 */
export function cors(origins: () => readonly string[], check?: OriginCheck): MiddlewareObj<HttpEvent, HttpResult> {
  const apply = async (request: Request<HttpEvent, HttpResult>) => {
    if (!request.response) return;
    const allowed = await requestOrigins(request.event, origins(), check);
    request.response = withCors(request.event, request.response, allowed, allowed.length > 0 || check !== undefined);
  };
  return { name: 'cors', after: apply, onError: apply };
}
