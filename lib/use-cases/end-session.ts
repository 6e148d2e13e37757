// RP-Initiated Logout 1.0 at the end-session endpoint: checking what the relying party sent
// (id_token_hint, client_id, post_logout_redirect_uri, state), deciding whether to end the session
// at once or ask the user first, and where the browser may go afterwards: only to a URI registered
// for that client, exactly (§3: "MUST NOT perform post-logout redirection" otherwise).

import { toEpochSeconds } from '../support/clock.ts';
import { peekClaims, peekHeader, verifyJwt } from '../tokens/jwt-verify.ts';
import { CLOCK_TOLERANCE_SECONDS } from '../tokens/signed-jwt.ts';
import { responseLocation } from './authorize.ts';
import { endBrowserSession, type SignedIn } from './browser-sessions.ts';
import type { Dependencies } from './dependencies.ts';

export interface LogoutParameters {
  idTokenHint?: string | undefined;
  clientId?: string | undefined;
  postLogoutRedirectUri?: string | undefined;
  state?: string | undefined;
}

/** What a verified id_token_hint says. */
export interface IdTokenHint {
  sub: string;
  clientId: string;
  /** The browser session the ID token was issued in (our ID tokens' `sid`). */
  sid?: string;
}

export interface LogoutPlan {
  /** A checked post-logout redirect (registered for the client, exactly), with `state` added. */
  redirect?: string;
  /** End the session without asking: a valid hint for this browser's user (§2), or nothing to end. */
  immediate: boolean;
  hint?: IdTokenHint;
}

type EndSessionDeps = Pick<Dependencies, 'verificationKeys' | 'config' | 'clock' | 'oauthClients' | 'browserSessions' | 'sessions'>;

/**
 * Verifies an ID token we issued, whatever its age (§2: the OP need not care whether it has
 * expired). Its `aud` must be `clientId` when one was sent (§2: "the OP MUST verify that the Client
 * Identifier matches"). Undefined when it is not a valid ID token of ours.
 */
export async function verifyIdTokenHint(token: string, clientId: string | undefined, deps: EndSessionDeps): Promise<IdTokenHint | undefined> {
  const kid = peekHeader(token)?.kid;
  const aud = peekClaims(token)?.aud;
  const audience = clientId ?? (typeof aud === 'string' ? aud : Array.isArray(aud) && aud.length === 1 && typeof aud[0] === 'string' ? aud[0] : undefined);
  if (typeof kid !== 'string' || audience === undefined) return undefined;
  const key = await deps.verificationKeys.verificationKey(kid);
  if (!key) return undefined;
  const result = verifyJwt(token, key, {
    // OIDC Core §2: ID tokens are typ JWT; an access token (at+jwt) or service token is never a hint.
    typ: 'JWT',
    issuer: deps.config.issuer,
    audience,
    nowSeconds: toEpochSeconds(deps.clock.now()),
    toleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['sub'],
  });
  // `expired` is only said of a token that passed every other check (signature, typ, iss, aud).
  if (!result.ok && result.reason !== 'expired') return undefined;
  const claims = peekClaims(token)!;
  if (typeof claims.sub !== 'string') return undefined;
  return { sub: claims.sub, clientId: audience, ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) };
}

/** What to do for a logout request from this browser. */
export async function planLogout(params: LogoutParameters, signedIn: SignedIn | undefined, deps: EndSessionDeps): Promise<LogoutPlan> {
  const hint = params.idTokenHint ? await verifyIdTokenHint(params.idTokenHint, params.clientId, deps) : undefined;
  const clientId = params.clientId ?? hint?.clientId;
  let redirect: string | undefined;
  if (params.postLogoutRedirectUri && clientId) {
    const client = await deps.oauthClients.get(clientId);
    // Exact string comparison, no loopback port leeway: this is not a redirect_uri.
    if (client?.postLogoutRedirectUris.includes(params.postLogoutRedirectUri)) {
      redirect = responseLocation(params.postLogoutRedirectUri, { state: params.state });
    }
  }
  // §2: with a valid hint for the signed-in user the OP may log out at once; otherwise it asks,
  // so another site cannot sign the user out (and a hint for someone else changes nothing silently).
  const immediate = signedIn ? hint !== undefined && hint.sub === signedIn.user.id : true;
  return { immediate, ...(redirect ? { redirect } : {}), ...(hint ? { hint } : {}) };
}

/** Ends this browser's session and, when the hint names another of the same user's browser sessions, that one too. */
export async function performLogout(signedIn: SignedIn | undefined, hint: IdTokenHint | undefined, deps: EndSessionDeps): Promise<void> {
  if (signedIn) await endBrowserSession(signedIn.session.sessionId, signedIn.user.id, deps);
  if (hint?.sid && hint.sid !== signedIn?.session.sessionId) {
    const other = await deps.browserSessions.get(hint.sid);
    if (other && other.userId === hint.sub) await endBrowserSession(other.sessionId, other.userId, deps);
  }
}
