// The table's stream (new `securityEvent` items only: serverless.yml's filter) to the stack's
// EventBridge bus. Partial batch answers: a record EventBridge refused is retried by the stream,
// bisected on error, and after the last retry sent to the failure queue (an alarm watches both).
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeSink } from '../lib/events/eventbridge-sink.ts';
import { publishStreamRecords } from '../lib/wiring/security-event-stream.ts';

// Set by serverless.yml for this function only (the bus's name and the service's).
const busName = process.env.SECURITY_EVENT_BUS_NAME ?? '';
const source = process.env.SECURITY_EVENT_SOURCE ?? '';
if (!busName || !source) throw new Error('SECURITY_EVENT_BUS_NAME and SECURITY_EVENT_SOURCE must be set');

const sink = eventBridgeSink(new EventBridgeClient({}), { busName, source });

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => publishStreamRecords(event.Records, sink);
