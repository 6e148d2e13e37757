// The hosted pages' forms: a browser (Accept: text/html) that submits one and meets an AppError
// gets a page about it (the form again with its errors, or "this link is spent") instead of JSON.
// API clients, GET requests and errors the page has nothing to say about keep the JSON answer.
import type { MiddlewareObj, Request } from '@middy/core';
import { AppError } from '../../domain/errors.ts';
import { wantsHtml } from '../request.ts';
import type { HttpEvent, HttpResult } from '../types.ts';
import { requestMethod } from './method-check.ts';

/** The page answering `error` for this submission, or undefined to leave the error to error-response. */
export type ErrorPage = (error: AppError, event: HttpEvent) => HttpResult | undefined;

/**
 * Place it last before the handler: only errors raised after its `before` ran (the handler's, a
 * later validation's) become pages; a refused body or a guard's 429 stays the API's answer.
 */
export function pageErrors(page: ErrorPage): MiddlewareObj<HttpEvent, HttpResult> {
  const armed = new WeakSet<HttpEvent>();
  return {
    name: 'page-errors',
    before: (request) => {
      armed.add(request.event);
    },
    onError: (request: Request<HttpEvent, HttpResult>) => {
      const { event, error } = request;
      if (request.response || !armed.has(event) || !(error instanceof AppError)) return;
      if (requestMethod(event) === 'GET' || !wantsHtml(event)) return;
      const answer = page(error, event);
      if (answer) request.response = answer;
    },
  };
}
