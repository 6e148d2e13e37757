// Runs the operation's guard (e.g. the per-IP budget) before the body is parsed, so a refused
// request costs as little as possible. A preflight is never guarded.
import type { MiddlewareObj } from '@middy/core';
import type { Guard, HttpEvent, HttpResult } from '../types.ts';
import { requestMethod } from './method-check.ts';

/**
 * @param select the guard for this request, if any: a route may skip GET (which only shows pages);
 *   the router's is the matched operation's own.
 */
export function guard(select: (event: HttpEvent) => Guard | undefined): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'guard',
    before: async (request) => {
      if (requestMethod(request.event) === 'OPTIONS') return;
      await select(request.event)?.(request.event);
    },
  };
}
