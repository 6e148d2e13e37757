// How a security event appears on the wire (snake_case): GET /me/events, the export, the account page.
import type { SecurityEvent } from '../domain/security-event.ts';
import { toIsoUtc } from '../support/clock.ts';

export interface SecurityEventWire {
  id: string;
  type: SecurityEvent['type'];
  /** ISO 8601, UTC. */
  at: string;
  channel: SecurityEvent['channel'];
  client_id?: string;
  ip_prefix?: string;
  user_agent?: string;
  details?: SecurityEvent['details'];
}

/** The user's own view of an event: everything but the user id and the retention date. */
export function securityEventView(event: SecurityEvent): SecurityEventWire {
  return {
    id: event.id,
    type: event.type,
    at: toIsoUtc(event.at),
    channel: event.channel,
    ...(event.clientId !== undefined ? { client_id: event.clientId } : {}),
    ...(event.ipPrefix !== undefined ? { ip_prefix: event.ipPrefix } : {}),
    ...(event.userAgent !== undefined ? { user_agent: event.userAgent } : {}),
    ...(event.details !== undefined ? { details: event.details } : {}),
  };
}
