// Ending sessions. Logout revokes the presented access token (its jti goes on the revocation list
// until it would have expired) and the session it belongs to, so the session's refresh token and
// every other access token issued in it stop working too. "Log out everywhere" moves the user's
// valid-after time, which ends every earlier session and token in one write.

import { type Principal, requireSessionToken } from '../auth/token-checker.ts';
import { AppError, MissingTokenError } from '../domain/errors.ts';
import { sha256 } from '../tokens/opaque.ts';
import { currentUser } from './current-user.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

type LogoutDeps = Pick<Dependencies, 'sessions' | 'revocations' | 'users' | 'clock' | 'browserSessions'> & SecurityEventDeps;

/**
 * Logs out with an access token, a refresh token, or both. An unknown or someone else's refresh
 * token is ignored rather than refused (RFC 7009 §2.2): the answer reveals nothing about it.
 */
export async function logout(caller: Principal | undefined, refreshToken: string | undefined, deps: LogoutDeps): Promise<void> {
  if (!caller && !refreshToken) throw new MissingTokenError();
  const now = deps.clock.now();
  const families = new Map<string, string>();
  if (caller) {
    requireSessionToken(caller, 'Logging out');
    if (caller.claims.sid) families.set(caller.claims.sid, caller.user.id);
  }
  if (refreshToken) {
    const stored = await deps.sessions.findRefreshToken(sha256(refreshToken));
    if (stored && (!caller || stored.userId === caller.user.id)) families.set(stored.familyId, stored.userId);
  }
  // Sessions first: ending one already ends its access tokens, so if the jti write below fails the
  // user is logged out anyway, whereas the other order could leave a live session behind a 503
  // and a retry that the revoked token can no longer make.
  await Promise.all(
    [...families].flatMap(([familyId, userId]) => [
      endSession(familyId, now, deps),
      recordSecurityEvent(userId, 'session_ended', deps, { details: { session_id: familyId } }),
    ]),
  );
  if (caller) await deps.revocations.revokeJti(caller.claims.jti, caller.claims.exp, now);
}

/**
 * Ends one session; one an OAuth client got through the hosted login page also ends that browser
 * session (single sign-on), so signing out of the app is not undone by the next silent sign-in.
 */
async function endSession(familyId: string, now: number, deps: LogoutDeps): Promise<void> {
  const [family] = await Promise.all([deps.sessions.getFamily(familyId), deps.sessions.revokeFamily(familyId, 'logout', now)]);
  const browserSessionId = family?.grant?.browserSessionId;
  if (browserSessionId) await deps.browserSessions.revoke(browserSessionId, now);
}

/** The refusals of a bearer token that mean "this token no longer works" (not "try later"). */
const TOKEN_REFUSED = new Set(['invalid_token', 'token_expired', 'missing_token']);

/**
 * Logs out with the bearer token and/or a refresh token. With a refresh token in hand, an expired
 * (or already revoked) access token must not stop the client from ending its session: the refresh
 * token alone is enough.
 */
export async function logoutWith(
  bearer: string | undefined,
  refreshToken: string | undefined,
  deps: LogoutDeps & Pick<Dependencies, 'tokenChecker' | 'accessTokens'>,
): Promise<void> {
  const caller = bearer
    ? await currentUser(bearer, deps, { oauthClients: 'allow' }).catch((error: unknown) => {
        if (refreshToken && error instanceof AppError && TOKEN_REFUSED.has(error.code)) return undefined;
        throw error;
      })
    : undefined;
  await logout(caller, refreshToken, deps);
}

/** Ends every session of the caller's user, on every device, including the caller's own. */
export async function logoutEverywhere(caller: Principal, deps: LogoutDeps): Promise<void> {
  requireSessionToken(caller, 'Logging out everywhere');
  // +1 ms: a token issued in this very millisecond counts as before, not after.
  await deps.users.invalidateTokensBefore(caller.user.id, deps.clock.now() + 1);
  await recordSecurityEvent(caller.user.id, 'session_ended', deps, { details: { scope: 'all' } });
}
