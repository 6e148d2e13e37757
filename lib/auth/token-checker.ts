// The one place that decides whether a bearer token is good right now. The Lambda authorizer, our
// own protected routes and introspection all call it, so they can never disagree. A token is good
// when its signature and claims verify for the expected kind (access token, or one service's
// token), its jti is not revoked, its session has not ended, and its user is active and has not
// invalidated it ("log out everywhere"). The table lookup is cached for at most one second, so a
// revocation reaches every warm Lambda within a second while a burst of requests costs one read.
import type { Clock } from '../clock.ts';
import type { Service } from '../config.ts';
import { InvalidTokenError, MissingTokenError } from '../errors.ts';
import type { RevocationStore, TokenState } from '../store/revocations.ts';
import type { User } from '../store/users.ts';
import { toEpochSeconds } from '../clock.ts';
import { verifyAccessToken, type AccessTokenClaims, type AccessTokenSettings } from '../tokens/access-tokens.ts';
import type { KeyRing } from '../tokens/key-ring.ts';
import { verifyServiceToken, type ServiceTokenSettings } from '../tokens/service-tokens.ts';
import { issuedBeforeValidAfter, type UserClaims } from '../tokens/signed-jwt.ts';

export type TokenType = 'access_token' | 'service_token';

/** Who a good token speaks for. */
export interface Principal {
  user: User;
  claims: UserClaims & { sid?: string };
  tokenType: TokenType;
}

export interface TokenChecker {
  /**
   * Checks `token` for `audience`: the access-token audience accepts access tokens only; a
   * service id accepts only that service's tokens. Throws MissingTokenError, TokenExpiredError
   * or InvalidTokenError.
   */
  check(token: string | undefined, audience: string): Promise<Principal>;
}

export interface TokenCheckerOptions {
  keyRing: KeyRing;
  clock: Clock;
  revocations: RevocationStore;
  accessTokens: Pick<AccessTokenSettings, 'issuer' | 'audience'>;
  serviceTokens: ServiceTokenSettings;
  services: Service[];
  /** How long a lookup result is reused; at most 1000 ms, which is the revocation guarantee. */
  cacheMs?: number;
}

export const MAX_REVOCATION_CACHE_MS = 1_000;
/** Bounds memory under a flood of distinct tokens; the oldest entries go first. */
const MAX_CACHE_ENTRIES = 10_000;

export function createTokenChecker(options: TokenCheckerOptions): TokenChecker {
  const { clock } = options;
  const cacheMs = Math.min(options.cacheMs ?? MAX_REVOCATION_CACHE_MS, MAX_REVOCATION_CACHE_MS);
  const cache = new Map<string, { at: number; state: TokenState }>();

  async function tokenState(claims: AccessTokenClaims): Promise<TokenState> {
    const now = clock.now();
    const hit = cache.get(claims.jti);
    if (hit && now - hit.at < cacheMs) return hit.state;
    const state = await options.revocations.lookup(
      { jti: claims.jti, userId: claims.sub, ...(claims.sid ? { familyId: claims.sid } : {}) },
      toEpochSeconds(now),
    );
    cache.delete(claims.jti);
    if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(claims.jti, { at: now, state });
    return state;
  }

  async function verify(token: string, audience: string): Promise<{ claims: AccessTokenClaims; tokenType: TokenType; service?: Service }> {
    const deps = { keyRing: options.keyRing, clock };
    if (audience === options.accessTokens.audience) {
      return { claims: await verifyAccessToken(token, { ...deps, settings: options.accessTokens }), tokenType: 'access_token' };
    }
    const service = options.services.find((s) => s.id === audience);
    if (!service) throw new InvalidTokenError();
    return { claims: await verifyServiceToken(token, audience, { ...deps, settings: options.serviceTokens }), tokenType: 'service_token', service };
  }

  return {
    async check(token, audience) {
      if (!token) throw new MissingTokenError();
      const { claims, tokenType, service } = await verify(token, audience);
      const { jtiRevoked, familyRevoked, user } = await tokenState(claims);
      if (jtiRevoked || familyRevoked || !user || user.status !== 'active') throw new InvalidTokenError();
      if (issuedBeforeValidAfter(claims.iat, user)) throw new InvalidTokenError();
      // A permission taken away ends the service tokens it granted, not only future ones.
      if (service?.permission && !user.permissions.includes(service.permission)) throw new InvalidTokenError();
      return { user, claims, tokenType };
    },
  };
}
