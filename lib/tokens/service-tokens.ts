// Service tokens: short-lived JWTs for one downstream service (TCAP's "short lived access token").
// Their own typ and an audience that is the service's id mean a service token is refused wherever
// an access token is expected, and an access token is refused by a service.
// A service token names the credential it was minted with (its parent), so that ending the parent
// ends it too (lib/auth/token-checker.ts): `sid` for a login session, `api_token_id` for a personal
// API token, `parent_jti` for an access token without a session (the compatibility logins'). One
// minted with a password carries none: the user's "log out everywhere" time and its own short
// life bound it.
import type { Service } from '../config/all.ts';
import { InvalidTokenError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { type IssuedToken, type SignDeps, signUserToken, type UserClaims, type VerifyDeps, verifyUserToken } from './signed-jwt.ts';

export const SERVICE_TOKEN_TYP = 'service+jwt';

export interface ServiceTokenSettings {
  issuer: string;
  clientId: string;
  ttlSeconds: number;
  /** TOKEN_CLOCK_LEEWAY_SECONDS: how long past `exp` verification still accepts the token. */
  clockLeewaySeconds?: number;
}

/** What a service token was minted with; it stops working when that does. */
export type ServiceTokenParent =
  /** An access token of a login session: the session (refresh family) id. */
  | { sessionId: string }
  /** A personal API token of the same user: its id. */
  | { apiTokenId: string }
  /** An access token without a session: its jti. */
  | { accessTokenJti: string };

export interface ServiceTokenClaims extends UserClaims {
  /** The service's display name, for logs and humans; `aud` is what is checked. */
  service: string;
  /** The login session it was minted in. */
  sid?: string;
  /** The API token it was minted with. */
  api_token_id?: string;
  /** The sessionless access token it was minted with. */
  parent_jti?: string;
}

type Deps = SignDeps & { settings: ServiceTokenSettings };
type CheckDeps = VerifyDeps & { settings: Pick<ServiceTokenSettings, 'issuer' | 'clockLeewaySeconds'> };

function parentClaims(parent: ServiceTokenParent | undefined): Record<string, string> {
  if (!parent) return {};
  if ('sessionId' in parent) return { sid: parent.sessionId };
  if ('apiTokenId' in parent) return { api_token_id: parent.apiTokenId };
  return { parent_jti: parent.accessTokenJti };
}

export async function issueServiceToken(user: User, service: Service, deps: Deps, parent?: ServiceTokenParent): Promise<IssuedToken> {
  const { issuer, clientId, ttlSeconds } = deps.settings;
  return signUserToken(
    user,
    { typ: SERVICE_TOKEN_TYP, issuer, audience: service.id, clientId, ttlSeconds, extraClaims: { service: service.name, ...parentClaims(parent) } },
    deps,
  );
}

const PARENT_CLAIMS = ['sid', 'api_token_id', 'parent_jti'] as const;

/** Verifies a service token meant for `serviceId`; throws TokenExpiredError or InvalidTokenError. */
export async function verifyServiceToken(token: string, serviceId: string, deps: CheckDeps): Promise<ServiceTokenClaims> {
  const { issuer, clockLeewaySeconds } = deps.settings;
  const claims = await verifyUserToken<ServiceTokenClaims>(token, { typ: SERVICE_TOKEN_TYP, issuer, audience: serviceId, clockLeewaySeconds }, deps);
  // Signed by us, so these hold; checked anyway because the parent lookup keys on them.
  if (PARENT_CLAIMS.some((name) => claims[name] !== undefined && typeof claims[name] !== 'string')) throw new InvalidTokenError();
  return claims;
}
