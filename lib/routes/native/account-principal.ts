// The account page acts for its browser session's user through the same use cases a bearer caller
// uses (API tokens), which take a Principal: this is the one a browser session stands for. It is a
// login session (so the use cases that refuse API tokens accept it); its "claims" are what the
// session knows, and it is never turned into a token.
import type { Principal } from '../../auth/token-checker.ts';
import type { SignedIn } from '../../use-cases/browser-sessions.ts';

/** The client id the page's acts are recorded under (as the hosted pages' own). */
export const ACCOUNT_PAGE_CLIENT = 'account-page';

export function pagePrincipal({ user, session }: SignedIn): Principal {
  return {
    user,
    tokenType: 'access_token',
    claims: {
      sub: user.id,
      jti: session.sessionId,
      sid: session.sessionId,
      iat: Math.floor(session.createdAt / 1000),
      exp: session.expiresAt,
      auth_time: session.authTime,
      amr: session.amr,
      client_id: ACCOUNT_PAGE_CLIENT,
      username: user.username,
      email: user.email,
      email_verified: user.emailVerified,
      permissions: user.permissions,
    },
  };
}
