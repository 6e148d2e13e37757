// Answers OPTIONS: a CORS preflight from an allowed origin gets 204 (lib/http/cors.ts); any other
// OPTIONS gets the route's description. It answers early, so nothing after it runs for OPTIONS.
import type { MiddlewareObj } from '@middy/core';
import { type OriginCheck, preflight, requestOrigins } from '../cors.ts';
import { json } from '../response.ts';
import type { HttpEvent, HttpResult } from '../types.ts';
import { requestMethod } from './method-check.ts';

/** What OPTIONS tells about the request's route. */
export interface RouteDescription {
  path: string;
  /** The methods the route answers, OPTIONS aside. */
  methods: readonly string[];
  summary: string;
}

const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The answer to a plain OPTIONS: the allowed methods (also as Allow) and what the route does, in
 * the shape of Django REST Framework's metadata, which the miniSASS document describes.
 */
export function describeRoute(path: string, methods: readonly string[], description: string): HttpResult {
  return json(200, { name: path, description, methods, renders: ['application/json'], parses: PARSES }, { allow: methods.join(', ') });
}

export interface OptionsAnswerOptions {
  describe: (event: HttpEvent) => RouteDescription;
  /** The allowed origins (CORS_ORIGINS), read at the request so the configuration loads lazily. */
  origins: () => readonly string[];
  /** Allows further origins request by request (see lib/http/cors.ts). */
  originCheck?: OriginCheck;
}

export function optionsAnswer({ describe, origins, originCheck }: OptionsAnswerOptions): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'options-answer',
    before: async (request) => {
      if (requestMethod(request.event) !== 'OPTIONS') return undefined;
      const { path, methods, summary } = describe(request.event);
      const allowed = await requestOrigins(request.event, origins(), originCheck);
      // Returning ends the request here (middy's early response): no guard, no body, no handler.
      return preflight(request.event, methods, allowed) ?? describeRoute(path, [...methods, 'OPTIONS'], summary);
    },
  };
}
