// From the table's stream to a sink: the code the deployed publisher (functions/publish-security-
// events.ts, EventBridge) and the local stream relay (scripts/local-stream-relay.ts, the log and the
// events viewer) both run, so what `npm start` shows is what subscribers get.
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { WireItem } from '../aws/light-dynamodb/attribute-values.ts';
import { publishStreamedEvents, type SecurityEventSink, type StreamedEvent } from '../events/publish.ts';
import { securityEventFromStreamImage } from '../store/security-events.ts';

/** The records' new security events (INSERTs of `securityEvent` items), each with its sequence number. */
export function streamedEvents(records: readonly DynamoDBRecord[]): StreamedEvent[] {
  return records.map((record) => ({
    itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '',
    event: record.eventName === 'INSERT' ? securityEventFromStreamImage(record.dynamodb?.NewImage as WireItem | undefined) : undefined,
  }));
}

/** Publishes a batch of stream records; the answer names the records to retry. */
export function publishStreamRecords(records: readonly DynamoDBRecord[], sink: SecurityEventSink): Promise<DynamoDBBatchResponse> {
  return publishStreamedEvents(streamedEvents(records), sink);
}
