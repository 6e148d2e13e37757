// The middleware stack every HTTP Lambda shares, so a handler holds only its use case:
// method check (405, OPTIONS), body parsing (JSON / urlencoded / multipart), problem+json errors,
// and the security and CORS headers on every answer, errors included.
import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { getConfig } from '../config/all.ts';
import { MethodNotAllowedError } from '../domain/errors.ts';
import { preflight, withCors } from './cors.ts';
import { parseBody } from './parse-body.ts';
import { errorResponse, type ErrorRenderer } from './problem.ts';
import { json, SECURITY_HEADERS } from './response.ts';
import type { Guard, HttpEvent, HttpHandler, HttpResult } from './types.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteOptions {
  /** The methods this route answers; others get 405 with an Allow header. */
  methods: readonly Method[];
  /** One sentence saying what the route does; OPTIONS answers with it. */
  summary: string;
  /** How errors are shaped; problem+json unless a compatibility dialect has its own envelope. */
  errors?: ErrorRenderer;
  /** Runs before the handler for every method but GET (which only shows pages), e.g. a per-IP budget. */
  guard?: Guard;
}

const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The answer to OPTIONS: the allowed methods (also as Allow) and what the route does, in the shape
 * of Django REST Framework's metadata, which the miniSASS document describes.
 */
export function describeRoute(path: string, methods: readonly string[], description: string): HttpResult {
  return secure(json(200, { name: path, description, methods, renders: ['application/json'], parses: PARSES }, { allow: methods.join(', ') }));
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Adds the security headers a response does not already set (a handler may override Cache-Control). */
export function secure(result: HttpResult): HttpResult {
  return { ...result, headers: { ...SECURITY_HEADERS, ...result.headers } };
}

/**
 * Every answer leaves through here: security headers, then CORS headers for an allowed Origin.
 * CORS_ORIGINS is read at the first request (getConfig caches it), never at module import.
 */
function finish(event: HttpEvent, result: HttpResult): HttpResult {
  return withCors(event, secure(result), getConfig().corsOrigins);
}

/**
 * The steps every HTTP Lambda shares once the route is known: refuse a wrong method (405, Allow),
 * answer OPTIONS (a CORS preflight from an allowed origin, or the route's description), parse the
 * body of POST/PUT/PATCH/DELETE; then security and CORS headers on every answer and errors
 * rendered by one mapper. `route` names the methods and summary for this request.
 */
export function plumbing(
  route: (event: HttpEvent) => { path: string; methods: readonly string[]; summary: string; guard?: Guard | undefined },
  errors?: ErrorRenderer,
): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: async (request) => {
      const { path, methods, summary, guard } = route(request.event);
      const allowed = [...methods, 'OPTIONS'];
      const method = request.event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
      if (method === 'OPTIONS') {
        const event = request.event;
        return finish(event, preflight(event, methods, getConfig().corsOrigins) ?? describeRoute(path, allowed, summary));
      }
      if (!methods.includes(method)) throw new MethodNotAllowedError(method, allowed);
      // Before parsing: a refused request should cost as little as possible.
      if (guard) await guard(request.event);
      if (BODY_METHODS.has(method)) request.event.parsedBody = await parseBody(request.event);
      return undefined;
    },
    after: (request) => {
      if (request.response) request.response = finish(request.event, request.response);
    },
    onError: (request) => {
      const context = { route: request.event.routeKey, requestId: request.context?.awsRequestId };
      let response: HttpResult;
      try {
        response = errorResponse(request.error, context, errors);
      } catch (renderFailure) {
        // A dialect's renderer that breaks is a bug: a bare problem+json 500, never a crashed Lambda.
        response = errorResponse(renderFailure, context);
      }
      request.response = finish(request.event, response);
    },
  };
}

/** Wraps a handler in the shared HTTP plumbing. */
export function httpRoute(options: RouteOptions, handler: HttpHandler): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const route = (event: HttpEvent) => ({
    path: event.rawPath ?? '',
    methods: options.methods,
    summary: options.summary,
    guard: event.requestContext?.http?.method?.toUpperCase() === 'GET' ? undefined : options.guard,
  });
  return middy<HttpEvent, HttpResult>().use(plumbing(route, options.errors)).handler(handler);
}
