// The error shape of /introspect, which two kinds of caller use: services with their service token
// get problem+json as before; an OAuth client whose authentication is refused gets OAuth's JSON
// (RFC 7662 §2.3: "responds with an HTTP 401 ... as described in Section 5.2 of OAuth 2.0").
import { oauthError } from './oauth-errors.ts';
import { problem } from './problem.ts';
import type { HttpError } from './status.ts';
import type { HttpResult } from './types.ts';

export function introspectionErrors(error: HttpError): HttpResult {
  return error.code === 'invalid_client' ? oauthError(error) : problem(error);
}
