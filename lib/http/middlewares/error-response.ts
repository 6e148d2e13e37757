// The one rule that decides what a client may see of a failure: an AppError is shown with its code
// and message (status from lib/http/status.ts, shaped by problem.ts or the dialect's renderer);
// anything else is logged in full (redacted) with the request context and answered with a bare 500.
// middy's http-error-handler says the same as `expose = status < 500`.
import type { MiddlewareObj } from '@middy/core';
import { type ErrorRenderer, errorResponse as render } from '../problem.ts';
import { usedBasicCredentials } from '../request.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/** @param renderer the dialect's error envelope; problem+json when absent. */
export function errorResponse(renderer?: ErrorRenderer): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'error-response',
    onError: (request) => {
      // Another middleware already answered (middy runs every onError; the first answer stands).
      if (request.response) return;
      const context = { route: request.event.routeKey, requestId: request.context?.awsRequestId };
      try {
        // Only a request whose credentials came from HTTP Basic gets the Basic challenge.
        request.response = render(request.error, context, renderer, { usedBasic: usedBasicCredentials(request.event) });
      } catch (renderFailure) {
        // A dialect's renderer that breaks is a bug: a bare problem+json 500, never a crashed Lambda.
        request.response = render(renderFailure, context);
      }
      // No return value: a returned response would stop middy's onError chain, and the CORS and
      // security headers still have to be added by the middlewares after this one.
    },
  };
}
