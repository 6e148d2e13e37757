// Refuses a method the route does not answer: 405 with Allow (through MethodNotAllowedError).
// OPTIONS is always allowed; options-answer answers it.
import type { MiddlewareObj } from '@middy/core';
import { MethodNotAllowedError } from '../../domain/errors.ts';
import type { HttpEvent, HttpResult } from '../types.ts';

/** The request's method, upper-case; GET when the event names none (as API Gateway never does). */
export function requestMethod(event: HttpEvent): string {
  return event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
}

/**
 * @param methods the methods the request's route answers, OPTIONS aside. A function of the event,
 *   as the multi-route router resolves them per path (and throws NotFoundError for an unknown one).
 */
export function methodCheck(methods: (event: HttpEvent) => readonly string[]): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    name: 'method-check',
    before: (request) => {
      const answered = methods(request.event);
      const method = requestMethod(request.event);
      if (method !== 'OPTIONS' && !answered.includes(method)) throw new MethodNotAllowedError(method, [...answered, 'OPTIONS']);
    },
  };
}
