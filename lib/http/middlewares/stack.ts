// The order of the middlewares, in one place. Two middy layers, because a middy `before` that
// answers early (OPTIONS) skips every `after`: the outer layer finishes every answer (early ones,
// the handler's, errors), the inner one holds the steps before the handler, which may answer early.
//
// middy runs `before` top-down and `after` / `onError` bottom-up, and every `onError` runs even once
// one has set a response (unless one returns a value). So for a failure: error-response renders it,
// then security-headers, then cors add their headers, then the log context is cleared.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { getConfig } from '../../config/all.ts';
import type { OriginCheck } from '../cors.ts';
import type { ErrorRenderer } from '../problem.ts';
import type { Guard, HttpEvent, HttpResult } from '../types.ts';
import { cors } from './cors.ts';
import { errorResponse } from './error-response.ts';
import { guard } from './guard.ts';
import { methodCheck } from './method-check.ts';
import { optionsAnswer, type RouteDescription } from './options-answer.ts';
import { type ErrorPage, pageErrors } from './page-errors.ts';
import { parseBody } from './parse-body.ts';
import { publishRequestMetrics } from './publish-metrics.ts';
import { requestLogContext } from './request-log-context.ts';
import { securityHeaders } from './security-headers.ts';
import { type BodyRule, validateBody } from './validate-body.ts';

/** Everything the stack needs to know about the request's route. */
export interface RouteStack {
  /** Path, methods and summary of the request's route; may throw NotFoundError (the router). */
  describe: (event: HttpEvent) => RouteDescription;
  /** The guard for this request, if any (see the guard middleware). */
  guard?: (event: HttpEvent) => Guard | undefined;
  /** The body schema, when the stack validates it (see validate-body). */
  body?: BodyRule | ((event: HttpEvent) => BodyRule | undefined);
  /** Pages for a browser's form submission that fails (see page-errors). */
  errorPage?: ErrorPage;
  /** How errors are shaped; problem+json unless a compatibility dialect has its own envelope. */
  errors?: ErrorRenderer;
  /** The allowed CORS origins; CORS_ORIGINS, read at the first request (never at import). */
  origins?: () => readonly string[];
  /** Allows origins beyond `origins` request by request (OAuth: registered clients' origins). */
  originCheck?: OriginCheck;
}

const configuredOrigins = () => getConfig().corsOrigins;

/** The outer layer: every answer passes it. Headers land on errors too (onError runs bottom-up). */
export function answerMiddlewares(route: RouteStack) {
  const origins = route.origins ?? configuredOrigins;
  // publish-metrics first: its after/onError run last, once the answer (and its status) is final.
  return [publishRequestMetrics(), requestLogContext(), cors(origins, route.originCheck), securityHeaders(), errorResponse(route.errors)];
}

/** The inner layer, in the order the steps run before the handler. */
export function requestMiddlewares(route: RouteStack) {
  const origins = route.origins ?? configuredOrigins;
  return [
    methodCheck((event) => route.describe(event).methods),
    optionsAnswer({ describe: route.describe, origins, ...(route.originCheck ? { originCheck: route.originCheck } : {}) }),
    // Before parsing: a refused request should cost as little as possible.
    ...(route.guard ? [guard(route.guard)] : []),
    parseBody(),
    ...(route.body ? [validateBody(route.body)] : []),
    // Last: only the handler's (and validation's) errors become pages.
    ...(route.errorPage ? [pageErrors(route.errorPage)] : []),
  ];
}

/** A Lambda handler: `handler` behind both layers. */
export function httpStack<E extends HttpEvent = HttpEvent>(
  route: RouteStack,
  handler: (event: E, context: Context) => Promise<HttpResult>,
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  // The inner layer does not race the Lambda's deadline; the outer one does (and renders the 500).
  const steps = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(requestMiddlewares(route))
    .handler(handler as (event: HttpEvent, context: Context) => Promise<HttpResult>);
  return middy<HttpEvent, HttpResult>().use(answerMiddlewares(route)).handler(steps);
}
