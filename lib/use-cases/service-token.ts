// Service tokens (TCAP's "short lived access token"): a user who may use a downstream service gets
// a token only that service accepts, valid for SERVICE_TOKEN_TTL (5 minutes by default). It names
// the credential it was minted with, and dies with it (lib/tokens/service-tokens.ts).

import type { Principal } from '../auth/token-checker.ts';
import type { Service } from '../config/all.ts';
import { InsufficientPermissionError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { countMetric } from '../support/metrics.ts';
import { issueServiceToken, type ServiceTokenParent } from '../tokens/service-tokens.ts';
import type { IssuedToken } from '../tokens/signed-jwt.ts';
import { currentUser } from './current-user.ts';
import type { Dependencies } from './dependencies.ts';
import { type AuthenticateDeps, authenticate, credentialsFromBody, type LoginClient } from './login.ts';

export interface ServiceTokenResult {
  service: Service;
  token: IssuedToken;
  /** A new device proof, when the token was asked for with a password. */
  deviceProof?: string;
}

/** A service by its id or its display name, ignoring case and surrounding spaces. */
export function findService(requested: string, services: readonly Service[]): Service | undefined {
  const wanted = requested.trim().toLowerCase();
  return services.find((service) => service.id === wanted || service.name.toLowerCase() === wanted);
}

/**
 * The parent of a service token minted by `caller`: its session, its API token, or (an access
 * token without a session, from a compatibility login) the access token itself.
 */
export function parentOf(caller: Principal): ServiceTokenParent {
  if (caller.tokenType === 'api_token') return { apiTokenId: caller.claims.jti };
  return caller.claims.sid ? { sessionId: caller.claims.sid } : { accessTokenJti: caller.claims.jti };
}

/**
 * A service token for `user`. `parent` is what it was minted with; none when the user's password
 * was checked just now (TCAP's form): then "log out everywhere", a password reset and its own
 * short lifetime are what end it.
 */
export async function issueServiceTokenFor(
  user: User,
  requestedService: string,
  deps: Pick<Dependencies, 'config' | 'signer' | 'clock' | 'serviceTokens'>,
  parent?: ServiceTokenParent,
): Promise<ServiceTokenResult> {
  const service = findService(requestedService, deps.config.services);
  if (!service) {
    const known = deps.config.services.map((s) => `"${s.name}"`).join(', ');
    throw new ValidationError([{ field: 'requested_service', message: `Unknown service; available: ${known || 'none'}.` }], 'Unknown service.');
  }
  if (service.permission && !user.permissions.includes(service.permission)) {
    throw new InsufficientPermissionError(`Using "${service.name}" needs the "${service.permission}" permission.`);
  }
  const token = await issueServiceToken(user, service, { signer: deps.signer, clock: deps.clock, settings: deps.serviceTokens }, parent);
  countMetric('TokensIssued');
  return { service, token };
}

/** The body of POST /service-token: the service, and TCAP's password form instead of an access token. */
export interface ServiceTokenRequest {
  requested_service: string;
  username?: string | undefined;
  email?: string | undefined;
  password?: string | undefined;
}

/**
 * A service token for the caller of an access token, or for the user whose credentials come in the
 * body (TCAP's form, which also counts as a login attempt). Both at once is ambiguous: refused.
 */
export async function requestServiceToken(
  bearer: string | undefined,
  request: ServiceTokenRequest,
  deps: AuthenticateDeps & Parameters<typeof currentUser>[1] & Parameters<typeof issueServiceTokenFor>[2],
  client: LoginClient = {},
): Promise<ServiceTokenResult> {
  const { requested_service, password, username, email } = request;
  if (bearer && password !== undefined) {
    throw new ValidationError([{ field: 'password', message: 'Send an access token or a password, not both.' }]);
  }
  if (password === undefined) {
    const caller = await currentUser(bearer, deps);
    return issueServiceTokenFor(caller.user, requested_service, deps, parentOf(caller));
  }
  const credentials = credentialsFromBody({ username, email, password });
  const { deviceProof, result } = await authenticate(credentials, deps, client, (user) => issueServiceTokenFor(user, requested_service, deps));
  return { ...result, deviceProof };
}
