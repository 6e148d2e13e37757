// Who is calling: the user behind a bearer access token, checked exactly as the Lambda authorizer
// checks it (lib/auth/token-checker.ts): signature, claims, revocation, session, user state.

import type { Principal } from '../auth/token-checker.ts';
import type { Dependencies } from './dependencies.ts';

export type Caller = Principal;

export async function currentUser(token: string | undefined, deps: Pick<Dependencies, 'tokenChecker' | 'accessTokens'>): Promise<Caller> {
  return deps.tokenChecker.check(token, deps.accessTokens.audience);
}
