// The authorization endpoint's decisions (OAuth 2.1 §4.1, OIDC Core §3.1.2): given validated
// parameters and the browser's session, either answer the client (a code, or an error it asked
// for with prompt=none), or keep the request and send the user to the login or consent page.
// Every answer to the client carries `iss` (RFC 9207 §2) and the request's `state` unchanged.
import { randomBytes } from 'node:crypto';
import type { AuthorizationParameters, AuthorizationRequest } from '../domain/authorization-request.ts';
import { AUTHORIZATION_REQUEST_TTL_SECONDS } from '../domain/authorization-request.ts';
import { AppError, DependencyUnavailableError, OAuthError } from '../domain/errors.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';
import { enrolledFactors } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { SignedIn } from './browser-sessions.ts';
import type { Dependencies } from './dependencies.ts';

export type AuthorizeDeps = Pick<Dependencies, 'authorizationRequests' | 'authorizationCodes' | 'consents' | 'clock' | 'config'>;

/** What the endpoint does next. */
export type AuthorizationStep =
  /** Send the browser back to the client (a code or an error), with RFC 9207 `iss`. */
  | { kind: 'redirect'; location: string }
  /** Show the login page for the stored request. */
  | { kind: 'login'; requestId: string }
  /** Show the consent page for the stored request. */
  | { kind: 'consent'; requestId: string };

/** A pending request that is unknown, expired, or already answered (another tab finished it). */
export class RequestGoneError extends AppError {
  constructor() {
    super('invalid_link', 'This sign-in request has expired or has already been completed. Go back to the application and start again.');
  }
}

/** The redirect URI with the response parameters added to its query (OAuth 2.1 §4.1.2, RFC 9207 §2). */
export function responseLocation(redirectUri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}

/** An error response to the client (OAuth 2.1 §4.1.2.1): error, error_description, state, iss. */
export function errorRedirect(
  request: Pick<AuthorizationParameters, 'redirectUri' | 'state'>,
  error: Pick<AppError, 'message'> & { code: string },
  issuer: string,
): AuthorizationStep {
  // RFC 6749 §4.1.2.1: error_description is printable ASCII without `"` and `\`.
  const description = error.message.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
  return {
    kind: 'redirect',
    location: responseLocation(request.redirectUri, { error: error.code, error_description: description, state: request.state, iss: issuer }),
  };
}

export interface AuthorizeOptions {
  /** The stored request being continued (from the login or consent page). */
  pending?: AuthorizationRequest;
  /** The user signed in just now on our login page: prompt=login and max_age are satisfied. */
  justAuthenticated?: boolean;
  /** The user just allowed the client on the consent page. */
  consented?: boolean;
}

/** Whether the session's authentication is recent enough for this request (OIDC Core §3.1.2.1 prompt=login, max_age). */
function authenticationSatisfies(params: AuthorizationParameters, signedIn: SignedIn, nowMs: number, options: AuthorizeOptions): boolean {
  if (options.justAuthenticated) return true;
  const { authTime } = signedIn.session;
  // prompt=login: an authentication made after the request arrived (never one from before).
  if (params.prompt.includes('login') && (!options.pending || authTime < toEpochSeconds(options.pending.createdAt))) return false;
  // max_age: "If the elapsed time is greater than this value, the OP MUST attempt to actively re-authenticate".
  if (params.maxAge !== undefined && toEpochSeconds(nowMs) - authTime > params.maxAge) return false;
  if (wantsSecondFactor(params) && signedIn.session.acr !== 'aal2' && enrolledFactors(signedIn.user).length > 0) return false;
  return true;
}

/**
 * acr_values naming aal2 and not aal1: the client wants a second factor. A user who has one is asked
 * for it; one who has none cannot reach aal2 and signs in at aal1 (the ID token's acr says so: OIDC
 * Core §3.1.2.1 makes acr a voluntary claim, for the client to judge).
 */
export const wantsSecondFactor = (params: Pick<AuthorizationParameters, 'acrValues'>) =>
  (params.acrValues ?? []).includes('aal2') && !(params.acrValues ?? []).includes('aal1');

/** Stores the request (once) so the login or consent page can finish it. */
async function pend(params: AuthorizationParameters, deps: AuthorizeDeps, pending: AuthorizationRequest | undefined): Promise<string> {
  if (pending) return pending.requestId;
  const now = deps.clock.now();
  const request: AuthorizationRequest = {
    ...params,
    requestId: randomBytes(32).toString('base64url'),
    createdAt: now,
    expiresAt: toEpochSeconds(now) + AUTHORIZATION_REQUEST_TTL_SECONDS,
  };
  await deps.authorizationRequests.create(request);
  return request.requestId;
}

/**
 * The next step of an authorization request for this client and browser session. An outage of a
 * store is answered to the client as temporarily_unavailable (OAuth 2.1 §4.1.2.1), so the app can
 * tell its user to try again rather than leave them on our error.
 */
export async function authorize(
  params: AuthorizationParameters,
  client: OAuthClient,
  signedIn: SignedIn | undefined,
  deps: AuthorizeDeps,
  options: AuthorizeOptions = {},
): Promise<AuthorizationStep> {
  try {
    return await decide(params, client, signedIn, deps, options);
  } catch (error) {
    if (!(error instanceof DependencyUnavailableError)) throw error;
    const unavailable = { code: 'temporarily_unavailable', message: 'The service is temporarily unavailable; try again shortly.' };
    return errorRedirect(params, unavailable, deps.config.issuer);
  }
}

async function decide(
  params: AuthorizationParameters,
  client: OAuthClient,
  signedIn: SignedIn | undefined,
  deps: AuthorizeDeps,
  options: AuthorizeOptions,
): Promise<AuthorizationStep> {
  const issuer = deps.config.issuer;
  const now = deps.clock.now();
  const promptNone = params.prompt.includes('none');
  if (!signedIn || !authenticationSatisfies(params, signedIn, now, options)) {
    // OIDC Core §3.1.2.6: with prompt=none the OP must not show a page.
    if (promptNone) return errorRedirect(params, new OAuthError('login_required', 'The user is not signed in.'), issuer);
    return { kind: 'login', requestId: await pend(params, deps, options.pending) };
  }
  if (!options.consented) {
    // Third-party clients ask once per scope set (remembered); prompt=consent asks again for any client.
    const granted = client.firstParty ? params.scopes : await deps.consents.scopes(signedIn.user.id, client.clientId);
    const mustAsk = params.prompt.includes('consent') || params.scopes.some((scope) => !granted.includes(scope));
    if (mustAsk) {
      if (promptNone) return errorRedirect(params, new OAuthError('consent_required', 'The user has not allowed this application yet.'), issuer);
      return { kind: 'consent', requestId: await pend(params, deps, options.pending) };
    }
  }
  return issueCode(params, signedIn, deps, options.pending);
}

/** Answers the request with a fresh code (OAuth 2.1 §4.1.2); a stored request is spent first, so it gets one code at most. */
async function issueCode(
  params: AuthorizationParameters,
  signedIn: SignedIn,
  deps: AuthorizeDeps,
  pending: AuthorizationRequest | undefined,
): Promise<AuthorizationStep> {
  if (pending && !(await deps.authorizationRequests.delete(pending.requestId))) throw new RequestGoneError();
  const now = deps.clock.now();
  const code = randomSecret();
  const { session } = signedIn;
  await deps.authorizationCodes.create({
    codeHash: sha256(code),
    clientId: params.clientId,
    userId: signedIn.user.id,
    redirectUri: params.redirectUri,
    codeChallenge: params.codeChallenge,
    scopes: params.scopes,
    ...(params.nonce === undefined ? {} : { nonce: params.nonce }),
    authTime: session.authTime,
    amr: session.amr,
    ...(session.acr === undefined ? {} : { acr: session.acr }),
    browserSessionId: session.sessionId,
    createdAt: now,
    expiresAt: toEpochSeconds(now) + deps.config.oauth.authorizationCodeTtlSeconds,
  });
  return { kind: 'redirect', location: responseLocation(params.redirectUri, { code, state: params.state, iss: deps.config.issuer }) };
}

/** A stored request that is still waiting, or RequestGoneError. */
export async function pendingRequest(
  requestId: string | undefined,
  deps: Pick<Dependencies, 'authorizationRequests' | 'clock'>,
): Promise<AuthorizationRequest> {
  const request = requestId && /^[A-Za-z0-9_-]{43}$/.test(requestId) ? await deps.authorizationRequests.get(requestId) : undefined;
  if (!request || request.expiresAt <= toEpochSeconds(deps.clock.now())) throw new RequestGoneError();
  return request;
}

/** The user refused on the consent page: access_denied to the client (OAuth 2.1 §4.1.2.1), and the request is spent. */
export async function denyRequest(request: AuthorizationRequest, deps: Pick<Dependencies, 'authorizationRequests' | 'config'>): Promise<AuthorizationStep> {
  if (!(await deps.authorizationRequests.delete(request.requestId))) throw new RequestGoneError();
  return errorRedirect(request, new OAuthError('access_denied', 'The user did not allow the application.'), deps.config.issuer);
}
