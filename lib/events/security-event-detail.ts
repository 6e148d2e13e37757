// The wire form of a security event (snake_case): EventBridge's `detail`, the local events viewer,
// and (without `user_id`) GET /me/events (lib/http/security-event-view.ts).
import type { SecurityEvent } from '../domain/security-event.ts';

export interface SecurityEventDetail {
  id: string;
  user_id: string;
  type: SecurityEvent['type'];
  /** ISO 8601, UTC. */
  at: string;
  channel: SecurityEvent['channel'];
  client_id?: string;
  ip_prefix?: string;
  user_agent?: string;
  details?: SecurityEvent['details'];
}

/** Everything an event says but its retention date; never a secret, an address or a name (what the log holds). */
export function securityEventDetail(event: SecurityEvent): SecurityEventDetail {
  return {
    id: event.id,
    user_id: event.userId,
    type: event.type,
    at: new Date(event.at).toISOString(),
    channel: event.channel,
    ...(event.clientId !== undefined ? { client_id: event.clientId } : {}),
    ...(event.ipPrefix !== undefined ? { ip_prefix: event.ipPrefix } : {}),
    ...(event.userAgent !== undefined ? { user_agent: event.userAgent } : {}),
    ...(event.details !== undefined ? { details: event.details } : {}),
  };
}
