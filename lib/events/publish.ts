// Publishing new security events from the table's stream (functions/publish-security-events.ts
// deployed; the local stream relay under `npm start`): each batch goes to a sink (EventBridge, or
// the local log and viewer), and the records whose events it could not take are reported back as
// the batch's item failures, so the stream retries them (and only from there) while the rest move on.
// It runs after the user's request has been answered: nothing here can slow down or fail a request.
import type { SecurityEvent } from '../domain/security-event.ts';
import { log } from '../support/log.ts';
import { countMetric, publishMetrics } from '../support/metrics.ts';

/** Where events go. Answers the ids of the events it could NOT take (empty: all taken). */
export interface SecurityEventSink {
  put(events: readonly SecurityEvent[]): Promise<ReadonlySet<string>>;
}

/** One stream record: its identifier (the DynamoDB stream sequence number) and its event, if it is one. */
export interface StreamedEvent {
  itemIdentifier: string;
  /** Undefined for a record that is not a new security event (the deployed filter lets none through). */
  event: SecurityEvent | undefined;
}

/** Lambda's partial batch answer (FunctionResponseTypes: ReportBatchItemFailures). */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * Hands the batch's events to `sink`; a sink that throws fails them all. Every failure is logged
 * (ids and kinds only) and counted as SecurityEventPublishFailures, which an alarm watches.
 */
export async function publishStreamedEvents(records: readonly StreamedEvent[], sink: SecurityEventSink): Promise<BatchResponse> {
  const events = records.flatMap((record) => (record.event ? [record.event] : []));
  let failed: ReadonlySet<string>;
  try {
    failed = events.length ? await sink.put(events) : new Set();
  } catch (error) {
    log.error('security events could not be published', { count: events.length, error });
    failed = new Set(events.map((event) => event.id));
  }
  const batchItemFailures = records.filter((record) => record.event && failed.has(record.event.id)).map(({ itemIdentifier }) => ({ itemIdentifier }));
  if (batchItemFailures.length) {
    log.warn('security events left for the stream to retry', {
      events: records.filter((record) => record.event && failed.has(record.event.id)).map((record) => ({ id: record.event!.id, type: record.event!.type })),
    });
    countMetric('SecurityEventPublishFailures', batchItemFailures.length);
  }
  publishMetrics();
  return { batchItemFailures };
}
