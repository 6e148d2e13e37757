// Who is calling: the user behind a bearer access token, checked exactly as the Lambda authorizer
// checks it (lib/auth/token-checker.ts): signature, claims, revocation, session, user state.
//
// The account API (this service's own endpoints: /me, API tokens, service tokens, log out
// everywhere, the dialects' account routes) takes only tokens of our own logins. An OAuth
// client's access token is refused there: it was granted scopes (openid, profile, ...) by a user
// who may never have meant to let that client, perhaps a third party, read their account, mint
// API tokens or end their other sessions (RFC 6749 §3.3: a token carries no more than its scope).
// OAuth clients read the user at /oauth/userinfo; APIs behind the authorizer see the scope.

import type { Principal } from '../auth/token-checker.ts';
import { InsufficientPermissionError } from '../domain/errors.ts';
import type { Dependencies } from './dependencies.ts';

export type Caller = Principal;

export interface CallerOptions {
  /** `allow`: an OAuth client's token is accepted too (ending its own session at /logout). */
  oauthClients?: 'allow';
  /** `allow`: the token of an account being deleted passes (DELETE /me finishing a deletion; lib/auth/token-checker.ts). */
  deletedAccount?: 'allow';
}

export async function currentUser(
  token: string | undefined,
  deps: Pick<Dependencies, 'tokenChecker' | 'accessTokens'>,
  options: CallerOptions = {},
): Promise<Caller> {
  const caller = await deps.tokenChecker.check(token, deps.accessTokens.audience, options.deletedAccount ? { deletedAccount: options.deletedAccount } : {});
  if (options.oauthClients !== 'allow' && caller.claims.client_id !== deps.accessTokens.clientId) {
    throw new InsufficientPermissionError(
      'This token was issued to an OAuth client; the account API takes tokens from POST /login (OAuth clients read the user at /oauth/userinfo).',
    );
  }
  return caller;
}
