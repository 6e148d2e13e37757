// Single sign-on for the hosted pages: starting a browser session after a password login, finding
// the one a cookie names (valid only while not ended, not expired, the user active and the session
// started after the user's valid-after time, so "log out everywhere" and a password reset end it),
// and ending one together with every session (refresh family) an OAuth client got from it.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { acrFor } from '../domain/authentication.ts';
import type { BrowserSession } from '../domain/browser-session.ts';
import { endedByValidAfter } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { requestOrigin } from '../support/request-context.ts';
import { randomSecret, sha256 } from '../tokens/opaque.ts';
import type { Dependencies } from './dependencies.ts';

type BrowserSessionDeps = Pick<Dependencies, 'browserSessions' | 'users' | 'clock' | 'config'>;

export interface SignedIn {
  session: BrowserSession;
  user: User;
}

/** The cookie's value: `<sessionId>.<secret>`; the id finds the item, the secret proves possession. */
const COOKIE_VALUE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * The browser session of a user who just authenticated, and its cookie value. When the browser
 * already holds a live session of the same user (a re-authentication for prompt=login or max_age)
 * that session records the new authentication and keeps its id, so one browser has one session and
 * RP-initiated logout ends every client signed in through it. `amr` (RFC 8176) decides the acr. A session of another user is ended:
 * a browser is signed in as one user at a time.
 */
export async function signInBrowser(
  user: User,
  amr: string[],
  current: (SignedIn & { cookieValue: string }) | undefined,
  deps: BrowserSessionDeps & Pick<Dependencies, 'sessions'>,
): Promise<{ session: BrowserSession; cookieValue: string }> {
  if (current && current.user.id === user.id) {
    const now = deps.clock.now();
    const update = { authTime: toEpochSeconds(now), amr, acr: acrFor(amr), expiresAt: toEpochSeconds(now) + deps.config.oauth.browserSessionTtlSeconds };
    if (await deps.browserSessions.reauthenticate(current.session.sessionId, update)) {
      return { session: { ...current.session, ...update }, cookieValue: current.cookieValue };
    }
  } else if (current) {
    await endBrowserSession(current.session.sessionId, current.user.id, deps);
  }
  return startBrowserSession(user, amr, deps);
}

/** Starts a new browser session for a user who just authenticated; returns it and the cookie value. */
export async function startBrowserSession(user: User, amr: string[], deps: BrowserSessionDeps): Promise<{ session: BrowserSession; cookieValue: string }> {
  const now = deps.clock.now();
  const secret = randomSecret();
  const session: BrowserSession = {
    sessionId: randomUUID(),
    secretHash: sha256(secret),
    userId: user.id,
    authTime: toEpochSeconds(now),
    amr,
    // OIDC Core §2 acr: aal2 once a second factor (or a passkey with user verification) was used.
    acr: acrFor(amr),
    createdAt: now,
    expiresAt: toEpochSeconds(now) + deps.config.oauth.browserSessionTtlSeconds,
    // For the user's list of sessions (GET /me/sessions, the account page).
    origin: requestOrigin(),
  };
  await deps.browserSessions.create(session);
  return { session, cookieValue: `${session.sessionId}.${secret}` };
}

/** The live session and its user that the cookie value names, or undefined. */
export async function currentBrowserSession(cookieValue: string | undefined, deps: BrowserSessionDeps): Promise<SignedIn | undefined> {
  const match = cookieValue ? COOKIE_VALUE.exec(cookieValue) : null;
  if (!match) return undefined;
  const stored = await deps.browserSessions.get(match[1]!);
  if (!stored || stored.revoked) return undefined;
  const presented = Buffer.from(sha256(match[2]!));
  const expected = Buffer.from(stored.secretHash);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
  const now = deps.clock.now();
  if (stored.expiresAt <= toEpochSeconds(now)) return undefined;
  const user = await deps.users.get(stored.userId);
  if (user?.status !== 'active') return undefined;
  // Log out everywhere, a password reset or change move validAfterMs: a session started before is
  // over, unless it is the one a password change spared.
  if (endedByValidAfter(stored.createdAt, stored.sessionId, user)) return undefined;
  return { session: stored, user };
}

/**
 * Ends a browser session and every session (refresh family) an OAuth client got through it, whose
 * access tokens then fail within a second (their `sid` is the family). RP-Initiated Logout 1.0 §2:
 * logging out at the OP ends the End-User's session there.
 */
export async function endBrowserSession(sessionId: string, userId: string, deps: Pick<Dependencies, 'browserSessions' | 'sessions' | 'clock'>): Promise<void> {
  const now = deps.clock.now();
  // The browser session first: once it is over no new code can be issued from it.
  await deps.browserSessions.revoke(sessionId, now);
  const families = await deps.sessions.listFamilies(userId);
  await Promise.all(
    families
      .filter((family) => !family.revoked && family.grant?.browserSessionId === sessionId)
      .map((family) => deps.sessions.revokeFamily(family.familyId, 'logout', now)),
  );
}
