// The Lambda authorizer's decision, for any of API Gateway's event kinds: check the token for
// AUTHORIZER_AUDIENCE with the shared token checker, and pass who the caller is on as context.

import type { Config } from '../config/all.ts';
import { AppError, DependencyUnavailableError, MissingTokenError } from '../domain/errors.ts';
import { log } from '../support/log.ts';
import { type AuthorizerEvent, type AuthorizerResult, allow, deny, tokenFromEvent, unauthorized } from './authorizer-events.ts';
import type { TokenChecker } from './token-checker.ts';

export type AuthorizerHandler = (event: AuthorizerEvent) => Promise<AuthorizerResult>;

export function createAuthorizer(deps: { tokenChecker: TokenChecker; config: Pick<Config, 'authorizerAudience'> }): AuthorizerHandler {
  return async (event) => {
    try {
      const { user, claims, tokenType } = await deps.tokenChecker.check(tokenFromEvent(event), deps.config.authorizerAudience);
      return allow(event, user.id, {
        sub: user.id,
        username: user.username,
        email: user.email,
        email_verified: String(user.emailVerified),
        // Context values must be strings for REST APIs; one format for both keeps consumers simple.
        permissions: user.permissions.join(','),
        token_type: tokenType,
        jti: claims.jti,
        ...(claims.sid ? { sid: claims.sid } : {}),
        // Who the token was issued to (CLIENT_ID for our own logins, else an OAuth client) and,
        // for an OAuth client's token, what the user granted it (RFC 9068 §2.2.3): an API decides
        // with them whether a third-party client may do what it asks.
        client_id: claims.client_id,
        ...(typeof claims.scope === 'string' ? { scope: claims.scope } : {}),
        // How the user authenticated (RFC 9068 §2.2.1): an API can demand MFA (acr aal2) or a
        // recent sign-in for a sensitive operation without decoding the token itself.
        ...authenticationContext(claims),
      });
    } catch (error) {
      if (error instanceof MissingTokenError) return unauthorized(event, { code: error.code, message: error.message });
      // A refused token is a verdict; an outage is not, and must never be cached as one.
      if (error instanceof AppError && !(error instanceof DependencyUnavailableError)) return deny(event, { code: error.code, message: error.message });
      // DynamoDB unreachable, or a bug: fail closed, and let API Gateway answer 500.
      log.error('authorizer failed', { error });
      throw error;
    }
  };
}

/** acr, amr (comma-joined) and auth_time as context strings, for the tokens that carry them. */
function authenticationContext(claims: Record<string, unknown>): Record<string, string> {
  return {
    ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
    ...(Array.isArray(claims.amr) ? { amr: claims.amr.filter((method) => typeof method === 'string').join(',') } : {}),
    ...(typeof claims.auth_time === 'number' ? { auth_time: String(claims.auth_time) } : {}),
  };
}
