// How one of the user's sessions appears on the wire (GET /me/sessions, the export): snake_case,
// times in ISO 8601; the user agent and network prefix as recorded, never an address.

import { toIsoUtc } from '../support/clock.ts';
import type { SessionSummary } from '../use-cases/account-sessions.ts';

export function sessionView(session: SessionSummary) {
  const { authentication } = session;
  return {
    id: session.id,
    kind: session.kind,
    created_at: toIsoUtc(session.createdAt),
    last_used_at: toIsoUtc(session.lastUsedAt),
    expires_at: toIsoUtc(session.expiresAt * 1000),
    client: session.client,
    ...(session.userAgent ? { user_agent: session.userAgent } : {}),
    ...(session.ipPrefix ? { ip_prefix: session.ipPrefix } : {}),
    authentication: { amr: authentication.amr, ...(authentication.acr ? { acr: authentication.acr } : {}), auth_time: authentication.authTime },
    current: session.current,
  };
}
