// Who is calling: verifies the bearer token and loads the user behind it, refusing tokens of
// deleted or disabled users and tokens issued before the user's "valid after" time.
import type { Dependencies } from '../app.ts';
import { InvalidTokenError, MissingTokenError } from '../errors.ts';
import type { User } from '../store/users.ts';
import { verifyAccessToken, type AccessTokenClaims } from '../tokens/access-tokens.ts';

export interface Caller {
  user: User;
  claims: AccessTokenClaims;
}

export async function currentUser(token: string | undefined, deps: Dependencies): Promise<Caller> {
  if (!token) throw new MissingTokenError();
  const claims = await verifyAccessToken(token, { keyRing: deps.keyRing, clock: deps.clock, settings: deps.accessTokens });
  const user = await deps.users.get(claims.sub);
  if (!user || user.status !== 'active') throw new InvalidTokenError();
  if (user.validAfter !== undefined && claims.iat < user.validAfter) throw new InvalidTokenError();
  return { user, claims };
}
