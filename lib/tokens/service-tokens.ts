// Service tokens: short-lived JWTs for one downstream service (TCAP's "short lived access token").
// Their own typ and an audience that is the service's id mean a service token is refused wherever
// an access token is expected, and an access token is refused by a service.
import type { Service } from '../config/all.ts';
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

export interface ServiceTokenClaims extends UserClaims {
  /** The service's display name, for logs and humans; `aud` is what is checked. */
  service: string;
}

type Deps = SignDeps & { settings: ServiceTokenSettings };
type CheckDeps = VerifyDeps & { settings: Pick<ServiceTokenSettings, 'issuer' | 'clockLeewaySeconds'> };

export async function issueServiceToken(user: User, service: Service, deps: Deps): Promise<IssuedToken> {
  const { issuer, clientId, ttlSeconds } = deps.settings;
  return signUserToken(user, { typ: SERVICE_TOKEN_TYP, issuer, audience: service.id, clientId, ttlSeconds, extraClaims: { service: service.name } }, deps);
}

/** Verifies a service token meant for `serviceId`; throws TokenExpiredError or InvalidTokenError. */
export async function verifyServiceToken(token: string, serviceId: string, deps: CheckDeps): Promise<ServiceTokenClaims> {
  const { issuer, clockLeewaySeconds } = deps.settings;
  return verifyUserToken<ServiceTokenClaims>(token, { typ: SERVICE_TOKEN_TYP, issuer, audience: serviceId, clockLeewaySeconds }, deps);
}
