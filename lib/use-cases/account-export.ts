// The user's data, for GET /me/export (GDPR Art. 20, data portability): the profile, every session
// still in the table, API tokens' and second factors' metadata (never a secret or a hash), what
// the user allowed OAuth clients, and the whole security event log. Everything is read by the
// user's own id, so nothing another user owns can appear in it.
import type { ApiTokenRecord } from '../domain/api-token.ts';
import type { FactorSummary } from '../domain/mfa.ts';
import { MAX_EVENTS_PAGE, type SecurityEvent } from '../domain/security-event.ts';
import type { User } from '../domain/user.ts';
import { toEpochSeconds } from '../support/clock.ts';
import { listSessions, type SessionSummary } from './account-sessions.ts';
import type { Dependencies } from './dependencies.ts';

export interface AccountExport {
  /** Epoch milliseconds. */
  exportedAt: number;
  user: User;
  /** Live and ended sessions (until TTL removes them), newest first. */
  sessions: SessionSummary[];
  apiTokens: ApiTokenRecord[];
  factors: FactorSummary[];
  consents: { clientId: string; scopes: string[] }[];
  /** Newest first. */
  events: SecurityEvent[];
}

export type ExportDeps = Pick<
  Dependencies,
  'sessions' | 'browserSessions' | 'oauthClients' | 'apiTokens' | 'mfaFactors' | 'consents' | 'securityEvents' | 'clock'
>;

/** Every event of the user, through the store's pages. */
async function allEvents(userId: string, deps: Pick<Dependencies, 'securityEvents'>, nowSeconds: number): Promise<SecurityEvent[]> {
  const events: SecurityEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.securityEvents.list(userId, { limit: MAX_EVENTS_PAGE, ...(cursor ? { cursor } : {}) }, nowSeconds);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

export async function exportAccount(user: User, deps: ExportDeps, currentSessionId?: string): Promise<AccountExport> {
  const exportedAt = deps.clock.now();
  const nowSeconds = toEpochSeconds(exportedAt);
  const [sessions, apiTokens, factors, consents, events] = await Promise.all([
    listSessions(user, currentSessionId, deps, { includeEnded: true }),
    deps.apiTokens.list(user.id, nowSeconds),
    deps.mfaFactors.listFactors(user.id),
    deps.consents.list(user.id),
    allEvents(user.id, deps, nowSeconds),
  ]);
  return { exportedAt, user, sessions, apiTokens, factors, consents, events };
}
