// The Lambda authorizer for API Gateway: this stack's demo route, and any other team's API that
// attaches it by ARN (see README "Protect your own API"). It accepts tokens whose audience is
// AUTHORIZER_AUDIENCE and passes who the caller is to the protected Lambda as context.
import { dependencies } from '../lib/app.ts';
import { allow, deny, tokenFromEvent, unauthorized, type AuthorizerEvent, type AuthorizerResult } from '../lib/auth/authorizer-events.ts';
import { AppError, MissingTokenError } from '../lib/errors.ts';
import { log } from '../lib/log.ts';

const deps = dependencies();

export const handler = async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
  const token = tokenFromEvent(event);
  try {
    const { user, claims, tokenType } = await deps.tokenChecker.check(token, deps.config.authorizerAudience);
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
    });
  } catch (error) {
    if (error instanceof MissingTokenError) return unauthorized(event, { code: error.code, message: error.message });
    if (error instanceof AppError) return deny(event, { code: error.code, message: error.message });
    // DynamoDB unreachable or a bug: fail closed, and let API Gateway answer 500.
    log.error('authorizer failed', { error });
    throw error;
  }
};
