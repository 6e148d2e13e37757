// The account's export on the wire (GET /me/export, GDPR Art. 20): the same views the other
// endpoints use (user, sessions, API tokens, factors, events), never a secret or a hash.

import { toIsoUtc } from '../support/clock.ts';
import type { AccountExport } from '../use-cases/account-export.ts';
import { apiTokenView } from './api-token-view.ts';
import { mfaFactorView } from './mfa-factor-view.ts';
import { securityEventView } from './security-event-view.ts';
import { sessionView } from './session-view.ts';
import { userView } from './user-view.ts';

export function accountExportView(data: AccountExport) {
  return {
    exported_at: toIsoUtc(data.exportedAt),
    profile: { ...userView(data.user), ...(data.user.additionalFields === undefined ? {} : { additional_fields: data.user.additionalFields }) },
    sessions: data.sessions.map((session) => ({ ...sessionView(session), live: session.live })),
    api_tokens: data.apiTokens.map(apiTokenView),
    mfa: { factors: data.factors.map(mfaFactorView) },
    consents: data.consents.map((consent) => ({ client_id: consent.clientId, scopes: consent.scopes })),
    security_events: data.events.map(securityEventView),
  };
}
