// Turning an authorization step (lib/use-cases/authorize.ts) into the redirect that takes it:
// back to the client, or to our login or consent page for the stored request.
import type { AuthorizationStep } from '../use-cases/authorize.ts';
import type { HttpResult } from './types.ts';

/** Where the browser goes next. */
export function stepLocation(step: AuthorizationStep): string {
  if (step.kind === 'redirect') return step.location;
  return `/oauth/${step.kind}?request=${encodeURIComponent(step.requestId)}`;
}

/**
 * A redirect. 302 answers a GET (OAuth 2.1 §4.1.2); after a form POST it is 303 so the browser
 * follows with GET and never re-posts the credentials to the client (RFC 9700 §4.11).
 */
export function redirectTo(location: string, status: 302 | 303, cookies: string[] = []): HttpResult {
  return { statusCode: status, headers: { location }, body: '', ...(cookies.length ? { cookies } : {}) };
}

export const stepAnswer = (step: AuthorizationStep, status: 302 | 303, cookies: string[] = []) => redirectTo(stepLocation(step), status, cookies);
