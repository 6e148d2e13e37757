// Browser sessions: the single sign-on behind the hosted login page. The browser holds a cookie
// `<sessionId>.<secret>`; we keep the session under its id with only SHA-256 of the secret, so the
// table never holds a working cookie, and so a session can be ended by its id alone (the `sid` of
// the ID tokens and the grant of every session it started: RP-initiated and native logout).
// Implemented by lib/store/browser-sessions.ts.
import type { RequestOrigin } from '../support/request-context.ts';

export interface BrowserSession {
  /** A random UUID: the ID tokens' `sid` (OIDC Front-/Back-Channel Logout) and ClientGrant.browserSessionId. */
  sessionId: string;
  /** SHA-256 (base64url) of the cookie's secret part. */
  secretHash: string;
  userId: string;
  /** Epoch seconds of the interactive authentication (OIDC Core §2 `auth_time`). */
  authTime: number;
  /** RFC 8176 methods of that authentication, e.g. ["pwd"]. */
  amr: string[];
  acr?: string;
  /** Epoch milliseconds; compared with the user's validAfterMs ("log out everywhere" ends it). */
  createdAt: number;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
  /** Where it was started from, for the user's list of sessions; absent on sessions older than that list. */
  origin?: RequestOrigin;
}

export interface StoredBrowserSession extends BrowserSession {
  revoked: boolean;
}

export interface BrowserSessionStore {
  /** Stores a new session; its id is a fresh UUID, so a clash is a bug. */
  create(session: BrowserSession): Promise<void>;
  /** The session by id (consistent read); expiry and revocation are the caller's to check. */
  get(sessionId: string): Promise<StoredBrowserSession | undefined>;
  /**
   * Records a new interactive authentication in a live session (prompt=login, max_age): its
   * authTime, amr, acr and expiry move on, its id (the `sid` its clients know) stays. False when the
   * session has ended meanwhile.
   */
  reauthenticate(sessionId: string, update: Pick<BrowserSession, 'authTime' | 'amr' | 'expiresAt'> & { acr?: string }): Promise<boolean>;
  /** Ends the session; idempotent, and a no-op for an unknown id. */
  revoke(sessionId: string, now: number): Promise<void>;
  /**
   * The user's sessions still in the table (ended and expired ones too, until TTL removes them),
   * newest first, through their gsi1 listing; sessions started before the listing existed are not
   * in it. Eventually consistent, as GSIs are.
   */
  listForUser(userId: string): Promise<StoredBrowserSession[]>;
}
