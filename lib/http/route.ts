// httpRoute: one route's handler behind the shared middleware stack (lib/http/middlewares/stack.ts):
// method check (405, OPTIONS), guard, body parsing, errors rendered by one mapper, and the security
// and CORS headers on every answer, errors included.
import type { Context } from 'aws-lambda';
import { describeRoute as describe } from './middlewares/options-answer.ts';
import type { ErrorPage } from './middlewares/page-errors.ts';
import { secure } from './middlewares/security-headers.ts';
import { httpStack } from './middlewares/stack.ts';
import type { ErrorRenderer } from './problem.ts';
import type { Guard, HttpEvent, HttpHandler, HttpResult } from './types.ts';

export { secure };

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
  /** For a hosted page's form: the page a browser gets when its submission fails (see page-errors). */
  errorPage?: ErrorPage;
}

/** The answer to OPTIONS (DRF metadata), with the security headers. */
export function describeRoute(path: string, methods: readonly string[], description: string): HttpResult {
  return secure(describe(path, methods, description));
}

/** Wraps a handler in the shared HTTP middleware stack. */
export function httpRoute(options: RouteOptions, handler: HttpHandler): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const { guard } = options;
  return httpStack(
    {
      describe: (event) => ({ path: event.rawPath ?? '', methods: options.methods, summary: options.summary }),
      ...(guard ? { guard: (event: HttpEvent) => (event.requestContext?.http?.method?.toUpperCase() === 'GET' ? undefined : guard) } : {}),
      ...(options.errorPage ? { errorPage: options.errorPage } : {}),
      ...(options.errors ? { errors: options.errors } : {}),
    },
    handler,
  );
}
