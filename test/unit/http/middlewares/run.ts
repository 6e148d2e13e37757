// Runs middlewares the way middy does, for the middleware tests: a middy handler around `handler`.
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../../../lib/http/types.ts';

export const context = { awsRequestId: 'req-42' } as Context;

export const ok = async (): Promise<HttpResult> => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });

/** Calls `handler` behind `middlewares` (listed in middy's order) with `event`. */
export function run(
  middlewares: MiddlewareObj<HttpEvent, HttpResult>[],
  event: HttpEvent,
  handler: (event: HttpEvent) => Promise<HttpResult> = ok,
): Promise<HttpResult> {
  return middy<HttpEvent, HttpResult>().use(middlewares).handler(handler)(event, context);
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
