// The error shape of a protected resource of ours that OAuth clients call (/oauth/userinfo): the
// OAuth JSON body (./oauth-errors.ts) and RFC 6750 §3's WWW-Authenticate challenge on every error
// about the request's credentials: none at all when no token was sent (§3.1: "SHOULD NOT include
// an error code"), invalid_token (401), insufficient_scope (403, naming the scope needed),
// invalid_request (400).
import { oauthError } from './oauth-errors.ts';
import type { HttpError } from './status.ts';
import type { HttpResult } from './types.ts';

/** The scope /oauth/userinfo needs (OIDC Core §5.3). */
const NEEDED_SCOPE = 'openid';

function challenge(error: HttpError): string | undefined {
  switch (error.code) {
    case 'missing_token':
      return 'Bearer';
    case 'invalid_token':
    case 'token_expired':
      return 'Bearer error="invalid_token"';
    case 'insufficient_permission':
      return `Bearer error="insufficient_scope", scope="${NEEDED_SCOPE}"`;
    case 'invalid_request':
    case 'malformed_body':
    case 'unsupported_media_type':
    case 'payload_too_large':
      return 'Bearer error="invalid_request"';
    default:
      return undefined;
  }
}

export function bearerErrors(error: HttpError): HttpResult {
  const result = oauthError(error);
  const header = challenge(error);
  if (header) result.headers['www-authenticate'] = header;
  return result;
}
