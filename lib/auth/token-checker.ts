// The one place that decides whether a bearer token is good right now. The Lambda authorizer, our
// own protected routes and introspection all call it, so they can never disagree.
//  - JWTs (access and service tokens): signature and claims verify for the expected kind, the jti
//    is not revoked, the session has not ended, the user is active and has not invalidated it
//    ("log out everywhere"). A service token also dies with the credential it was minted with:
//    its session (`sid`), its API token (`api_token_id`: still stored, unexpired, not ended by a
//    password reset) or its sessionless access token (`parent_jti` not revoked).
//  - Personal API tokens: well-formed with a valid checksum (no read otherwise), stored, unexpired,
//    the hash matches, the owner is active. They act as access tokens.
// The table lookup (one BatchGetItem, parents included) is cached for at most one second, so a
// revocation reaches every warm Lambda within a second while a burst of requests with one token
// costs one read.
import { timingSafeEqual } from 'node:crypto';
import type { ApiTokenRecord, ApiTokenStore } from '../domain/api-token.ts';
import { InsufficientPermissionError, InvalidTokenError, MissingTokenError } from '../domain/errors.ts';
import type { RevocationStore, TokenStateQuery } from '../domain/revocation.ts';
import type { Service } from '../domain/services.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../support/clock.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { log } from '../support/log.ts';
import { type AccessTokenClaims, type AccessTokenSettings, verifyAccessToken } from '../tokens/access-tokens.ts';
import { looksLikeApiToken, parseApiToken } from '../tokens/api-token-format.ts';
import { sha256 } from '../tokens/opaque.ts';
import { type ServiceTokenClaims, type ServiceTokenSettings, verifyServiceToken } from '../tokens/service-tokens.ts';
import { issuedBeforeValidAfter, type UserClaims } from '../tokens/signed-jwt.ts';
import type { VerificationKeys } from '../tokens/verification-keys.ts';

export type TokenType = 'access_token' | 'service_token' | 'api_token';

/** Who a good token speaks for. */
export interface Principal {
  user: User;
  /** The token's claims; for an API token, the equivalent (jti = the token id). */
  claims: UserClaims & { sid?: string };
  tokenType: TokenType;
}

export interface TokenChecker {
  /**
   * Checks `token` for `audience`: the access-token audience accepts access tokens and API
   * tokens; a service id accepts only that service's tokens. Throws MissingTokenError,
   * TokenExpiredError or InvalidTokenError.
   */
  check(token: string | undefined, audience: string, options?: CheckOptions): Promise<Principal>;
}

export interface CheckOptions {
  /**
   * `allow`: a session access token of an account whose deletion has begun still passes (its
   * session and valid-after time are gone by design), so that the owner's retry of DELETE /me can
   * finish an interrupted deletion. Only that call passes it; everything else refuses the token.
   */
  deletedAccount?: 'allow';
}

export interface TokenCheckerOptions {
  /** Public keys only: checking a token never needs (nor gets) a private key. */
  verificationKeys: VerificationKeys;
  clock: Clock;
  /** Only what checking needs, so the authorizer can pass its read-only stores. */
  revocations: Pick<RevocationStore, 'lookup'>;
  /** Without it, API tokens are refused. */
  apiTokens?: Pick<ApiTokenStore, 'lookupWithOwner' | 'touch'>;
  accessTokens: Pick<AccessTokenSettings, 'issuer' | 'audience' | 'clientId'>;
  serviceTokens: ServiceTokenSettings;
  services: Service[];
  /** How long a lookup result is reused; at most 1000 ms, which is the revocation guarantee. */
  cacheMs?: number;
}

export const MAX_REVOCATION_CACHE_MS = 1_000;
/** An API token's last use is written at most this often. */
export const API_TOKEN_TOUCH_INTERVAL_MS = 60_000;
/** Bounds memory under a flood of distinct tokens; the oldest entries go first. */
const MAX_CACHE_ENTRIES = 10_000;

export function createTokenChecker(options: TokenCheckerOptions): TokenChecker {
  const { clock } = options;
  const cacheMs = Math.min(options.cacheMs ?? MAX_REVOCATION_CACHE_MS, MAX_REVOCATION_CACHE_MS);
  const cache = new Map<string, { at: number; value: unknown }>();

  /** `load()`'s result for `key`, reused for at most `cacheMs`. */
  async function cached<T>(key: string, load: (nowSeconds: number) => Promise<T>): Promise<T> {
    const now = clock.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < cacheMs) return hit.value as T;
    const value = await load(toEpochSeconds(now));
    cache.delete(key);
    if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: now, value });
    return value;
  }

  async function verifyJwt(
    token: string,
    audience: string,
  ): Promise<{ claims: AccessTokenClaims | ServiceTokenClaims; tokenType: TokenType; service?: Service }> {
    const deps = { verificationKeys: options.verificationKeys, clock };
    if (audience === options.accessTokens.audience) {
      return { claims: await verifyAccessToken(token, { ...deps, settings: options.accessTokens }), tokenType: 'access_token' };
    }
    const service = options.services.find((s) => s.id === audience);
    if (!service) throw new InvalidTokenError();
    return { claims: await verifyServiceToken(token, audience, { ...deps, settings: options.serviceTokens }), tokenType: 'service_token', service };
  }

  /** What to look up for a JWT: itself, its user, its session, and a service token's other parents. */
  function stateQuery(claims: AccessTokenClaims | ServiceTokenClaims, tokenType: TokenType): TokenStateQuery {
    const service = tokenType === 'service_token' ? (claims as ServiceTokenClaims) : undefined;
    return {
      jti: claims.jti,
      userId: claims.sub,
      ...(claims.sid ? { familyId: claims.sid } : {}),
      ...(service?.api_token_id ? { parentApiTokenId: service.api_token_id } : {}),
      ...(service?.parent_jti ? { parentJti: service.parent_jti } : {}),
    };
  }

  async function checkJwt(token: string, audience: string, checkOptions: CheckOptions): Promise<Principal> {
    const { claims, tokenType, service } = await verifyJwt(token, audience);
    const query = stateQuery(claims, tokenType);
    const { jtiRevoked, familyRevoked, parentJtiRevoked, parentApiToken, user } = await cached(`jwt:${claims.jti}`, (nowSeconds) =>
      options.revocations.lookup(query, nowSeconds),
    );
    // The owner's own token, signed and unexpired and not revoked, to finish the account's deletion.
    if (checkOptions.deletedAccount === 'allow' && tokenType === 'access_token' && user?.status === 'deleted' && !jtiRevoked) {
      return { user, claims, tokenType };
    }
    if (jtiRevoked || familyRevoked || parentJtiRevoked || !user || user.status !== 'active') throw new InvalidTokenError();
    if (issuedBeforeValidAfter(claims.iat, user, claims.sid)) throw new InvalidTokenError();
    // Minted with an API token: it stands only while that token does (deleted, expired, reset).
    if (query.parentApiTokenId !== undefined && !apiTokenStands(parentApiToken, user, clock.now())) throw new InvalidTokenError();
    // A permission taken away ends the service tokens it granted, not only future ones.
    if (service?.permission && !user.permissions.includes(service.permission)) throw new InvalidTokenError();
    return { user, claims, tokenType };
  }

  async function checkApiToken(token: string, audience: string): Promise<Principal> {
    const store = options.apiTokens;
    const parts = parseApiToken(token);
    // API tokens stand in for access tokens only, never for a service's token.
    if (!store || !parts || audience !== options.accessTokens.audience) throw new InvalidTokenError();
    const { record, user } = await cached(`api:${parts.tokenId}`, () => store.lookupWithOwner(parts.userId, parts.tokenId));
    const now = clock.now();
    if (!record || !sameHash(sha256(token), record.tokenHash)) throw new InvalidTokenError();
    if (user?.status !== 'active' || !apiTokenStands(record, user, now)) throw new InvalidTokenError();
    if ((record.lastUsedAt ?? 0) <= now - API_TOKEN_TOUCH_INTERVAL_MS) {
      record.lastUsedAt = now; // the cached copy too, so this instance does not write again at once
      await store.touch(parts.userId, parts.tokenId, now, API_TOKEN_TOUCH_INTERVAL_MS).catch((error: unknown) => {
        // Bookkeeping only: never refuse a good token because the write failed.
        log.warn('could not record API token use', { tokenId: parts.tokenId, error });
      });
    }
    return {
      user,
      tokenType: 'api_token',
      claims: {
        sub: user.id,
        jti: record.id,
        iat: toEpochSeconds(record.createdAt),
        exp: record.expiresAt,
        client_id: options.accessTokens.clientId,
        username: user.username,
        email: user.email,
        email_verified: user.emailVerified,
        permissions: user.permissions,
      },
    };
  }

  return {
    async check(token, audience, checkOptions = {}) {
      if (!token) throw new MissingTokenError();
      return looksLikeApiToken(token) ? checkApiToken(token, audience) : checkJwt(token, audience, checkOptions);
    },
  };
}

/**
 * Some acts need a login session's access token, not an API token: managing API tokens (so a
 * leaked one cannot mint more) and logging out (an API token has no session to end).
 */
export function requireSessionToken(caller: Principal, action: string): void {
  if (caller.tokenType !== 'access_token') {
    throw new InsufficientPermissionError(`${action} needs a session access token (from POST /login), not an API token.`);
  }
}

/**
 * Whether an API token still stands: stored, unexpired (DynamoDB deletes expired items lazily, so
 * expiry is decided here) and created after the owner's last password reset, which ends every
 * API token created before it.
 */
function apiTokenStands(record: ApiTokenRecord | undefined, user: User, nowMs: number): record is ApiTokenRecord {
  if (!record || record.expiresAt <= toEpochSeconds(nowMs)) return false;
  return user.apiTokensValidAfterMs === undefined || record.createdAt >= user.apiTokensValidAfterMs;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
