// How a security event appears to its own user (GET /me/events, the export, the account page): the
// wire form subscribers get (lib/events/security-event-detail.ts) without the user id.
import type { SecurityEvent } from '../domain/security-event.ts';
import { type SecurityEventDetail, securityEventDetail } from '../events/security-event-detail.ts';

export type SecurityEventWire = Omit<SecurityEventDetail, 'user_id'>;

/** The user's own view of an event: everything but the user id and the retention date. */
export function securityEventView(event: SecurityEvent): SecurityEventWire {
  const { user_id: _userId, ...view } = securityEventDetail(event);
  return view;
}
