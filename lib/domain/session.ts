// Login sessions (RFC 9700 §4.14.2): a refresh-token family per login and its single-use refresh
// tokens, and the port the session use cases reach them through (lib/store/sessions.ts).
import type { RequestOrigin } from '../support/request-context.ts';
import type { Authentication } from './authentication.ts';

/** Where a session was started from, for the user's list of sessions: the request's origin. */
export type SessionOrigin = RequestOrigin;

/**
 * What a session started by an OAuth client carries (lib/use-cases/oauth/): the client it is bound
 * to (OAuth 2.1 §4.3.1: a refresh token works only for its client), what was granted, and how and
 * when the user authenticated (for the ID tokens of later refreshes). Native and dialect logins
 * have none.
 */
export interface ClientGrant {
  clientId: string;
  scopes: string[];
  /** Epoch seconds of the interactive authentication (OIDC `auth_time`). */
  authTime: number;
  /** RFC 8176 methods of that authentication. */
  amr: string[];
  acr?: string;
  /** The browser session (single sign-on) it came from; RP-initiated logout ends its sessions. */
  browserSessionId?: string;
}

export interface NewSession {
  familyId: string;
  userId: string;
  /** Absent for a session without a refresh token (an OAuth client not allowed the refresh_token grant). */
  refreshTokenHash?: string;
  /** Epoch seconds: when the refresh token (and, unless refreshed, the family) expires; the TTL attribute. */
  expiresAt: number;
  /** Epoch milliseconds. */
  createdAt: number;
  grant?: ClientGrant;
  /**
   * How the user authenticated at the login that started it (a native or dialect login; an OAuth
   * client's is in `grant`). Refreshes keep it: `auth_time` is the last interactive authentication.
   */
  authentication?: Authentication;
  /** Where it was started from (channel, network prefix, user agent); absent on sessions older than the sessions list. */
  origin?: SessionOrigin;
}

export interface StoredRefreshToken {
  tokenHash: string;
  familyId: string;
  userId: string;
  used: boolean;
  /** Epoch milliseconds of the rotation that used it. */
  usedAt?: number;
  /** The hash of the token that replaced it. */
  replacedBy?: string;
  expiresAt: number;
}

export interface Family {
  familyId: string;
  userId: string;
  revoked: boolean;
  /** Epoch milliseconds of the login that started it. */
  createdAt: number;
  expiresAt: number;
  /** Epoch milliseconds of the newest refresh. */
  lastRefreshedAt?: number;
  /** Epoch milliseconds, and why (logout, refresh token reuse, ...). */
  revokedAt?: number;
  revokedReason?: string;
  /** Set when an OAuth client started it. */
  grant?: ClientGrant;
  /** How the user authenticated (NewSession.authentication); absent on sessions older than MFA: a password then. */
  authentication?: Authentication;
  /** NewSession.origin. */
  origin?: SessionOrigin;
}

export interface Rotation {
  old: StoredRefreshToken;
  newTokenHash: string;
  /** Epoch milliseconds. */
  now: number;
  /** Epoch seconds at which the new token (and the family) expire. */
  expiresAt: number;
}

/**
 * How a rotation ended: `rotated`; `used` when the presented token had already been used (a reuse,
 * or the loser of a race); `revoked` when the family had ended meanwhile.
 */
export type RotationOutcome = 'rotated' | 'used' | 'revoked';

/** A replay within the grace period may also find that another replay moved the chain on first. */
export type GraceOutcome = RotationOutcome | 'raced';

export interface SessionStore {
  create(session: NewSession): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | undefined>;
  getFamily(familyId: string): Promise<Family | undefined>;
  /** Uses `old` (which must be unused) and stores its successor. */
  rotate(rotation: Rotation): Promise<RotationOutcome>;
  /**
   * The reuse grace period: `old` was used moments ago and is presented again (a client that lost
   * the answer retries, or a second tab refreshed at the same time). In one transaction its
   * successor (`old.replacedBy`) is spent and a new token takes its place, so the family keeps
   * exactly one live refresh token. `raced` when another replay replaced the successor first
   * (read again and retry); `used` when the successor's holder has used it (the family moved on:
   * reuse); `revoked` if the family has ended meanwhile.
   */
  replaceSuccessor(rotation: Rotation): Promise<GraceOutcome>;
  /** Ends a session: every refresh token of the family stops working. Idempotent. */
  revokeFamily(familyId: string, reason: string, now: number): Promise<void>;
  /**
   * Every session of the user still in the table (ended ones too, until TTL removes them), newest
   * first, through the gsi1 listing written at creation; eventually consistent, as GSIs are.
   */
  listFamilies(userId: string): Promise<Family[]>;
}

/**
 * Whether a session (a refresh family or a browser session, by id) started at `createdAtMs` was
 * ended by the user's valid-after time ("log out everywhere", a password change or reset), unless
 * it is the one session the last such move spared (`keptSessionId`: "end my other sessions").
 */
export function endedByValidAfter(
  createdAtMs: number,
  sessionId: string,
  user: { validAfterMs?: number | undefined; keptSessionId?: string | undefined },
): boolean {
  if (user.validAfterMs === undefined || createdAtMs >= user.validAfterMs) return false;
  return user.keptSessionId !== sessionId;
}
