// Security events: the append-only, per-user record of what happened to an account (logins,
// password and email changes, factors, API tokens, sessions, the account's state), which users
// read at GET /me/events, operators with `admin events`, and subscribers through EventBridge.
// The port the use cases reach them through is lib/store/security-events.ts.
import type { Channel } from '../support/request-context.ts';

/** Every kind of event, as it appears on the wire (`type`) and in EventBridge's `detail-type`. */
export const SECURITY_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'login_locked_out',
  'password_changed',
  'password_reset',
  'email_change_requested',
  'email_change_completed',
  'email_change_reverted',
  'mfa_factor_added',
  'mfa_factor_removed',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'api_token_created',
  'api_token_deleted',
  'session_ended',
  'refresh_token_reused',
  'account_disabled',
  'account_enabled',
  'account_deleted',
  'account_imported',
  'account_migrated',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Small facts about an event (which factor, which token id, why): never a secret, an address or a name. */
export type SecurityEventDetails = Record<string, string | number | boolean>;

export interface SecurityEvent {
  /** Random, unique; with `at` it orders the log. */
  id: string;
  userId: string;
  type: SecurityEventType;
  /** Epoch milliseconds. */
  at: number;
  /** The door the request came through (lib/support/request-context.ts). */
  channel: Channel;
  /** The OAuth client the act was done through, when there was one. */
  clientId?: string;
  /** The client's network prefix (a /24 or /48), never its address. */
  ipPrefix?: string;
  userAgent?: string;
  details?: SecurityEventDetails;
  /** Epoch seconds: SECURITY_EVENT_RETENTION_DAYS after `at`; the TTL attribute. */
  expiresAt: number;
}

/**
 * What an account's deletion keeps of its events: no user id, user agent or details, under a
 * pseudonym that nothing else in the table links to the account.
 */
export type PseudonymisedEvent = Pick<SecurityEvent, 'id' | 'type' | 'at' | 'channel' | 'clientId' | 'ipPrefix' | 'expiresAt'> & { pseudonym: string };

export interface SecurityEventQuery {
  /** At most this many, newest first. */
  limit: number;
  /** Where the previous page ended (its `nextCursor`); opaque to callers. */
  cursor?: string;
  /** Only these kinds. */
  types?: readonly SecurityEventType[];
  /** Only events at or after this time (epoch milliseconds). */
  since?: number;
}

export interface SecurityEventPage {
  events: SecurityEvent[];
  /** Present when there may be more: pass it back as `cursor`. */
  nextCursor?: string;
}

export interface SecurityEventStore {
  /** Adds one event; an event is never changed afterwards. */
  append(event: SecurityEvent): Promise<void>;
  /**
   * One page of the user's events, newest first (expired ones left out). Throws ValidationError
   * naming `cursor` for a cursor this store did not give out.
   */
  list(userId: string, query: SecurityEventQuery, nowSeconds: number): Promise<SecurityEventPage>;
  /**
   * Moves every event of the user under `pseudonym`, stripped to a PseudonymisedEvent (account
   * deletion). Idempotent: an interrupted run finishes on the next. Returns how many it moved.
   */
  pseudonymise(userId: string, pseudonym: string): Promise<number>;
  /**
   * A write that costs what append() costs and stores nothing: a failed login of a name nobody
   * has does this where an existing account's writes its event, so the two answers take the same
   * time (ASVS V6.3.8, as the dummy password hash does for argon2).
   */
  appendNothing(): Promise<void>;
}

/** The most a page of events may hold. */
export const MAX_EVENTS_PAGE = 100;
