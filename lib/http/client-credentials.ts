// How an OAuth client presented itself at the token, revocation and introspection endpoints
// (OAuth 2.1 §2.4.1, RFC 6749 §2.3.1): HTTP Basic with the form-urlencoded client_id and secret
// (client_secret_basic), both in the body (client_secret_post), or client_id alone (a public
// client, `none`). Only reads the request; lib/use-cases/oauth-client-authentication.ts decides.

import { OAuthError, ValidationError } from '../domain/errors.ts';
import type { ClientAuthMethod } from '../domain/oauth-client.ts';
import { basicCredentials, header } from './request.ts';
import type { HttpEvent } from './types.ts';

export interface PresentedClient {
  clientId: string;
  /** The secret as sent; absent for `none`. */
  secret?: string;
  method: ClientAuthMethod;
}

/** RFC 6749 §2.3.1: Basic's client_id and secret are form-urlencoded (Appendix B) before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are not form-urlencoded (RFC 6749 section 2.3.1).');
  }
}

function bodyText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ValidationError([{ field: name, message: 'This field must be non-empty text.' }]);
  return value;
}

/**
 * The client's credentials, or undefined when the request names no client at all. Two methods at
 * once are refused (OAuth 2.1 §2.4.1: a client MUST NOT use more than one per request), but a
 * body client_id equal to Basic's is allowed, as several libraries send it.
 */
export function presentedClient(event: HttpEvent, body: Record<string, unknown>): PresentedClient | undefined {
  const bodyId = bodyText(body, 'client_id');
  const bodySecret = bodyText(body, 'client_secret');
  if (/^basic\b/i.test(header(event, 'authorization') ?? '')) {
    const basic = basicCredentials(event);
    if (!basic) throw new OAuthError('invalid_client', 'The Basic credentials are malformed.');
    const clientId = formDecode(basic.login);
    if (bodySecret !== undefined)
      throw new ValidationError([{ field: 'client_secret', message: 'Use one client authentication method, not Basic and the body both.' }]);
    if (bodyId !== undefined && bodyId !== clientId) throw new ValidationError([{ field: 'client_id', message: 'It differs from the Basic credentials.' }]);
    return { clientId, secret: formDecode(basic.password), method: 'client_secret_basic' };
  }
  if (bodySecret !== undefined) {
    if (bodyId === undefined) throw new ValidationError([{ field: 'client_id', message: 'client_secret needs client_id beside it.' }]);
    return { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' };
  }
  return bodyId === undefined ? undefined : { clientId: bodyId, method: 'none' };
}

/**
 * OAuth 2.1 §3.2.2 (and RFC 7009 §2.1): the token and revocation endpoints take
 * application/x-www-form-urlencoded bodies only. The parsed parameters, as text.
 */
export function formParameters(event: HttpEvent): Record<string, string> {
  const type = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const body = event.parsedBody ?? {};
  if (Object.keys(body).length && type !== 'application/x-www-form-urlencoded') {
    throw new ValidationError([{ field: '(body)', message: 'Send the parameters as application/x-www-form-urlencoded.' }]);
  }
  // parse-body refused repeated parameters already (RFC 6749 §3.2: "MUST NOT be included more than once").
  return body as Record<string, string>;
}
