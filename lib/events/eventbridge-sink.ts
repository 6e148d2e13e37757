// The deployed sink: Amazon EventBridge's PutEvents on the stack's security-events bus, one entry
// per event (Source = the service, DetailType = the event's type, Detail = its wire form).
import { PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { SecurityEvent } from '../domain/security-event.ts';
import { log } from '../support/log.ts';
import type { SecurityEventSink } from './publish.ts';
import { securityEventDetail } from './security-event-detail.ts';

/** PutEvents takes at most 10 entries a call. */
const ENTRIES_PER_CALL = 10;

export interface EventBridgeTarget {
  /** The bus's name or ARN. */
  busName: string;
  /** The entries' Source: the service's name. */
  source: string;
}

/** What the sink needs of an EventBridgeClient (a fake in tests). */
export interface PutEventsClient {
  send(command: PutEventsCommand): Promise<Pick<PutEventsCommandOutput, 'FailedEntryCount' | 'Entries'>>;
}

export function eventBridgeEntry(event: SecurityEvent, target: EventBridgeTarget): PutEventsRequestEntry {
  return {
    EventBusName: target.busName,
    Source: target.source,
    DetailType: event.type,
    Time: new Date(event.at),
    Detail: JSON.stringify(securityEventDetail(event)),
  };
}

export function eventBridgeSink(client: PutEventsClient, target: EventBridgeTarget): SecurityEventSink {
  return {
    async put(events) {
      const failed = new Set<string>();
      for (let start = 0; start < events.length; start += ENTRIES_PER_CALL) {
        const chunk = events.slice(start, start + ENTRIES_PER_CALL);
        try {
          const answer = await client.send(new PutEventsCommand({ Entries: chunk.map((event) => eventBridgeEntry(event, target)) }));
          if (answer.FailedEntryCount) {
            // Entries answer in request order; a failed one has an ErrorCode and no EventId.
            chunk.forEach((event, index) => {
              const entry = answer.Entries?.[index];
              if (!entry || entry.ErrorCode || !entry.EventId) failed.add(event.id);
            });
          }
        } catch (error) {
          log.error('PutEvents failed', { count: chunk.length, error });
          for (const event of chunk) failed.add(event.id);
        }
      }
      return failed;
    },
  };
}
