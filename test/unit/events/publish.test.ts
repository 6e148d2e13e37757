// The stream publisher with a fake EventBridge client: entries as subscribers get them (Source,
// DetailType, Detail with user_id, no secrets), 10 a call, and a refused entry or a failed call
// reported as the record's batch item failure and counted (SecurityEventPublishFailures); the
// stream records that are not new security events are skipped, never failed.
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { toWireItem } from '../../../lib/aws/light-dynamodb/attribute-values.ts';
import type { SecurityEvent } from '../../../lib/domain/security-event.ts';
import { eventBridgeSink, type PutEventsClient } from '../../../lib/events/eventbridge-sink.ts';
import { countMetric } from '../../../lib/support/metrics.ts';
import { publishStreamRecords } from '../../../lib/wiring/security-event-stream.ts';

vi.mock('../../../lib/support/metrics.ts', () => ({ countMetric: vi.fn(), publishMetrics: vi.fn() }));
vi.mock('../../../lib/support/log.ts', () => ({ log: { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() } }));

const AT = Date.UTC(2026, 10, 30, 6, 0, 0);
const TARGET = { busName: 'auth-service-ci-security-events', source: 'auth-service' };

function securityEvent(index: number, extra: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    id: `event-${index}`,
    userId: `user-${index}`,
    type: 'login_failed',
    at: AT + index,
    channel: 'native',
    ipPrefix: '203.0.113.0/24',
    userAgent: 'Mozilla/5.0',
    details: { reason: 'wrong_password' },
    expiresAt: 2_000_000_000,
    ...extra,
  };
}

/** A stream record of the item the store writes for `event` (or any other item). */
function record(sequence: number, item: Record<string, unknown>, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  return { eventName, dynamodb: { SequenceNumber: String(sequence), NewImage: toWireItem(item) as never } };
}
function eventRecord(sequence: number, event: SecurityEvent): DynamoDBRecord {
  const { type, ...rest } = event;
  return record(sequence, {
    pk: `EVENTS#${event.userId}`,
    sk: `EVENT#${new Date(event.at).toISOString()}#${event.id}`,
    ...rest,
    type: 'securityEvent',
    eventType: type,
  });
}

/** A fake client: answers each call with `answer(entries)` and keeps the calls. */
function fakeClient(answer: (entries: { DetailType?: string; Detail?: string }[], call: number) => Awaited<ReturnType<PutEventsClient['send']>>) {
  const calls: PutEventsCommand['input'][] = [];
  const client: PutEventsClient = {
    send: async (command) => {
      calls.push(command.input);
      return answer(command.input.Entries ?? [], calls.length);
    },
  };
  return { client, calls };
}
const allAccepted = (entries: unknown[]) => ({ FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `eb-${index}` })) });

beforeEach(() => {
  vi.mocked(countMetric).mockClear();
});

describe('publishing security events from the stream', () => {
  it('puts one entry per event on the bus: source, detail type, time and the wire form with user_id', async () => {
    const { client, calls } = fakeClient(allAccepted);
    const event = securityEvent(1, { clientId: 'spa' });
    const answer = await publishStreamRecords([eventRecord(1, event)], eventBridgeSink(client, TARGET));
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(calls).toHaveLength(1);
    const [entry] = calls[0]!.Entries!;
    expect(entry).toMatchObject({ EventBusName: TARGET.busName, Source: 'auth-service', DetailType: 'login_failed', Time: new Date(event.at) });
    expect(JSON.parse(entry!.Detail!)).toEqual({
      id: 'event-1',
      user_id: 'user-1',
      type: 'login_failed',
      at: new Date(event.at).toISOString(),
      channel: 'native',
      client_id: 'spa',
      ip_prefix: '203.0.113.0/24',
      user_agent: 'Mozilla/5.0',
      details: { reason: 'wrong_password' },
    });
    expect(countMetric).not.toHaveBeenCalled();
  });

  it('sends at most 10 entries a call, in order', async () => {
    const { client, calls } = fakeClient(allAccepted);
    const records = Array.from({ length: 23 }, (_, index) => eventRecord(index + 1, securityEvent(index)));
    expect(await publishStreamRecords(records, eventBridgeSink(client, TARGET))).toEqual({ batchItemFailures: [] });
    expect(calls.map((call) => call.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap((call) => call.Entries!.map((entry) => JSON.parse(entry.Detail!).id))).toEqual(records.map((_, index) => `event-${index}`));
  });

  it('reports the records of refused entries (FailedEntryCount) as batch item failures, and counts them', async () => {
    const { client } = fakeClient((entries) => ({
      FailedEntryCount: 2,
      Entries: entries.map((_, index) =>
        index === 1 || index === 3 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `eb-${index}` },
      ),
    }));
    const records = Array.from({ length: 5 }, (_, index) => eventRecord(100 + index, securityEvent(index)));
    const answer = await publishStreamRecords(records, eventBridgeSink(client, TARGET));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '101' }, { itemIdentifier: '103' }]);
    expect(countMetric).toHaveBeenCalledWith('SecurityEventPublishFailures', 2);
  });

  it('fails only the chunk whose call throws', async () => {
    const { client } = fakeClient((entries, call) => {
      if (call === 2) throw new Error('EventBridge unavailable');
      return allAccepted(entries);
    });
    const records = Array.from({ length: 12 }, (_, index) => eventRecord(index + 1, securityEvent(index)));
    const answer = await publishStreamRecords(records, eventBridgeSink(client, TARGET));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '11' }, { itemIdentifier: '12' }]);
    expect(countMetric).toHaveBeenCalledWith('SecurityEventPublishFailures', 2);
  });

  it('fails the whole batch when the sink itself throws', async () => {
    const sink = { put: () => Promise.reject(new Error('boom')) };
    const answer = await publishStreamRecords([eventRecord(7, securityEvent(1)), eventRecord(8, securityEvent(2))], sink);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '7' }, { itemIdentifier: '8' }]);
  });

  it('skips records that are not new security events (other items, updates, removals, pseudonymised copies)', async () => {
    const { client, calls } = fakeClient(allAccepted);
    const event = securityEvent(1);
    const records = [
      record(1, { pk: 'USER#1', sk: 'PROFILE', type: 'user' }),
      record(2, { pk: 'DELETEDEVENTS#x', sk: 'EVENT#1', type: 'pseudonymisedEvent', eventType: 'login_failed' }),
      { ...eventRecord(3, event), eventName: 'MODIFY' as const },
      { eventName: 'REMOVE' as const, dynamodb: { SequenceNumber: '4' } },
    ];
    expect(await publishStreamRecords(records, eventBridgeSink(client, TARGET))).toEqual({ batchItemFailures: [] });
    expect(calls).toHaveLength(0);
  });
});
