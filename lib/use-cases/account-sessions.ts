// The user's own sessions (GET /me/sessions, DELETE /me/sessions/{id}, the account page): every
// live login session (a refresh family, "app") and single sign-on session of the hosted pages
// ("browser"), newest first, and ending one of them. Another user's or an unknown id is "not
// found", never "not yours".
import type { Authentication } from '../domain/authentication.ts';
import type { StoredBrowserSession } from '../domain/browser-session.ts';
import { NotFoundError } from '../domain/errors.ts';
import { endedByValidAfter, type Family } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Channel } from '../support/request-context.ts';
import type { Dependencies } from './dependencies.ts';
import { recordSecurityEvent, type SecurityEventDeps } from './security-events.ts';

export type SessionClientType = Exclude<Channel, 'admin'> | 'oauth';

export interface SessionSummary {
  /** The session id: a refresh family's id (the access tokens' `sid`) or a browser session's. */
  id: string;
  kind: 'app' | 'browser';
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds of the last refresh (or the start). */
  lastUsedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  client: { type: SessionClientType; id?: string; name?: string };
  userAgent?: string;
  ipPrefix?: string;
  authentication: Authentication | { authTime: number; amr: string[]; acr?: string };
  /** Whether it is the caller's own. */
  current: boolean;
  /** False for sessions that have ended (revoked, expired, or ended by a valid-after move); only the export lists them. */
  live: boolean;
}

type SessionDeps = Pick<Dependencies, 'sessions' | 'browserSessions' | 'oauthClients' | 'clock'>;

/** Ids are UUIDs: anything else cannot be a session, and is not looked up (nor made a table key). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function familyLive(family: Family, user: User, nowSeconds: number): boolean {
  return !family.revoked && family.expiresAt > nowSeconds && !endedByValidAfter(family.createdAt, family.familyId, user);
}

function browserLive(session: StoredBrowserSession, user: User, nowSeconds: number): boolean {
  return !session.revoked && session.expiresAt > nowSeconds && !endedByValidAfter(session.createdAt, session.sessionId, user);
}

async function clientNames(families: Family[], deps: Pick<Dependencies, 'oauthClients'>): Promise<Map<string, string | undefined>> {
  const ids = [...new Set(families.flatMap((family) => (family.grant ? [family.grant.clientId] : [])))];
  const clients = await Promise.all(ids.map(async (id) => [id, (await deps.oauthClients.get(id))?.name] as const));
  return new Map(clients);
}

function appSession(family: Family, names: Map<string, string | undefined>, live: boolean, currentSessionId: string | undefined): SessionSummary {
  const { grant, origin } = family;
  const name = grant ? names.get(grant.clientId) : undefined;
  const client: SessionSummary['client'] = grant
    ? { type: 'oauth', id: grant.clientId, ...(name ? { name } : {}) }
    : { type: origin && origin.channel !== 'admin' ? origin.channel : 'native' };
  const authentication = grant
    ? { authTime: grant.authTime, amr: grant.amr, ...(grant.acr ? { acr: grant.acr } : {}) }
    : (family.authentication ?? { authTime: toEpochSeconds(family.createdAt), amr: ['pwd'], acr: 'aal1' as const });
  return {
    id: family.familyId,
    kind: 'app',
    createdAt: family.createdAt,
    lastUsedAt: family.lastRefreshedAt ?? family.createdAt,
    expiresAt: family.expiresAt,
    client,
    ...(origin?.userAgent ? { userAgent: origin.userAgent } : {}),
    ...(origin?.ipPrefix ? { ipPrefix: origin.ipPrefix } : {}),
    authentication,
    current: family.familyId === currentSessionId,
    live,
  };
}

function browserSession(session: StoredBrowserSession, live: boolean, currentSessionId: string | undefined): SessionSummary {
  return {
    id: session.sessionId,
    kind: 'browser',
    createdAt: session.createdAt,
    // A browser session is not refreshed; a re-authentication moves its authTime on.
    lastUsedAt: Math.max(session.createdAt, session.authTime * 1000),
    expiresAt: session.expiresAt,
    client: { type: 'hosted' },
    ...(session.origin?.userAgent ? { userAgent: session.origin.userAgent } : {}),
    ...(session.origin?.ipPrefix ? { ipPrefix: session.origin.ipPrefix } : {}),
    authentication: { authTime: session.authTime, amr: session.amr, ...(session.acr ? { acr: session.acr } : {}) },
    current: session.sessionId === currentSessionId,
    live,
  };
}

/**
 * The user's sessions, newest first: only live ones, or (`includeEnded`, for the export) every one
 * still in the table. `currentSessionId` is the caller's (its token's `sid`, or the account page's
 * browser session).
 */
export async function listSessions(
  user: User,
  currentSessionId: string | undefined,
  deps: SessionDeps,
  options: { includeEnded?: boolean } = {},
): Promise<SessionSummary[]> {
  const nowSeconds = toEpochSeconds(deps.clock.now());
  const [families, browsers] = await Promise.all([deps.sessions.listFamilies(user.id), deps.browserSessions.listForUser(user.id)]);
  const names = await clientNames(families, deps);
  const all = [
    ...families.map((family) => appSession(family, names, familyLive(family, user, nowSeconds), currentSessionId)),
    ...browsers.map((session) => browserSession(session, browserLive(session, user, nowSeconds), currentSessionId)),
  ];
  return all.filter((session) => options.includeEnded || session.live).sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Ends one of the user's live sessions: a refresh family (its refresh tokens at once, its access
 * tokens within a second: the token checker reads the family) or a browser session (the app
 * sessions an OAuth client got through it stay: they are listed, and ended, on their own).
 * NotFoundError for an unknown, ended or another user's id.
 */
export async function endSession(user: User, sessionId: string, deps: SessionDeps & SecurityEventDeps): Promise<void> {
  if (!SESSION_ID.test(sessionId)) throw new NotFoundError('No such session.');
  const now = deps.clock.now();
  const nowSeconds = toEpochSeconds(now);
  const [family, browser] = await Promise.all([deps.sessions.getFamily(sessionId), deps.browserSessions.get(sessionId)]);
  if (family && family.userId === user.id && familyLive(family, user, nowSeconds)) {
    await deps.sessions.revokeFamily(sessionId, 'ended by the user', now);
  } else if (browser && browser.userId === user.id && browserLive(browser, user, nowSeconds)) {
    await deps.browserSessions.revoke(sessionId, now);
  } else {
    throw new NotFoundError('No such session.');
  }
  await recordSecurityEvent(user.id, 'session_ended', deps, { details: { session_id: sessionId } });
}
