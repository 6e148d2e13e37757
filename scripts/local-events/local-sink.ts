// The local stack's stand-in for EventBridge: one log line per security event (ids, kinds and the
// network prefix; never a secret, an address or a name) and the events viewer's list.
import type { SecurityEventSink } from '../../lib/events/publish.ts';
import { type SecurityEventDetail, securityEventDetail } from '../../lib/events/security-event-detail.ts';

/** The line `npm start` prints for an event. */
export function securityEventLine(detail: SecurityEventDetail): string {
  const facts = [
    `user=${detail.user_id}`,
    `channel=${detail.channel}`,
    ...(detail.client_id ? [`client=${detail.client_id}`] : []),
    ...(detail.ip_prefix ? [`ip=${detail.ip_prefix}`] : []),
    ...Object.entries(detail.details ?? {}).map(([key, value]) => `${key}=${String(value)}`),
    `id=${detail.id}`,
  ];
  return `security event ${detail.type} ${facts.join(' ')}`;
}

export function localSink(options: { log: (line: string) => void; show: (detail: SecurityEventDetail) => void }): SecurityEventSink {
  return {
    async put(events) {
      for (const event of events) {
        const detail = securityEventDetail(event);
        options.log(securityEventLine(detail));
        options.show(detail);
      }
      return new Set();
    },
  };
}
