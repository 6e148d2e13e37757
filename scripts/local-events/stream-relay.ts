// The local stand-in for the deployed stream trigger: polls DynamoDB Local's stream of the table,
// keeps what the deployed filter keeps (INSERTs of `securityEvent` items), and hands each batch to
// the code the deployed publisher runs (lib/wiring/security-event-stream.ts) with a local sink.
// It starts at the stream's end (LATEST), like the deployed trigger, and follows new shards.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { SecurityEventSink } from '../../lib/events/publish.ts';
import { SECURITY_EVENT_ITEM_TYPE } from '../../lib/store/security-events.ts';
import { publishStreamRecords } from '../../lib/wiring/security-event-stream.ts';

/** Often enough that an event shows within a second, rarely enough to cost nothing while idle. */
const POLL_MS = 250;

export interface StreamRelay {
  stop(): Promise<void>;
}

export interface StreamRelayOptions {
  /** For DescribeTable (the stream's ARN). */
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  sink: SecurityEventSink;
  /** Where a failure of the relay itself is told (it keeps polling). */
  warn: (line: string) => void;
}

/** serverless.yml's filterCriteria, applied here as Lambda applies it before invoking. */
export function passesFilter(record: StreamRecord): boolean {
  const type = record.dynamodb?.NewImage?.type;
  return record.eventName === 'INSERT' && type !== undefined && 'S' in type && type.S === SECURITY_EVENT_ITEM_TYPE;
}

/** A record of the Streams API in the shape Lambda hands the function (same attribute values, as JSON). */
function asLambdaRecord(record: StreamRecord): DynamoDBRecord {
  return JSON.parse(JSON.stringify(record)) as DynamoDBRecord;
}

export async function startStreamRelay(options: StreamRelayOptions): Promise<StreamRelay> {
  const { Table } = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`The local table ${options.tableName} has no stream: scripts/local-table.ts should have turned it on`);
  const { streams } = options;

  /** Open shards and where we read them from; a shard's iterator becomes undefined when it closes. */
  const iterators = new Map<string, string | undefined>();
  async function discoverShards(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      // Closed shards (they have an end) were read before we started, or are read to their end below.
      if (iterators.has(shardId) || shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: position }));
      iterators.set(shardId, ShardIterator);
    }
  }
  await discoverShards('LATEST');

  let running = true;
  let wake: (() => void) | undefined;
  async function pollOnce(): Promise<void> {
    let closed = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const { Records, NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterators.set(shardId, NextShardIterator);
      if (!NextShardIterator) closed = true;
      const kept = (Records ?? []).filter(passesFilter).map(asLambdaRecord);
      if (kept.length) {
        const { batchItemFailures } = await publishStreamRecords(kept, options.sink);
        if (batchItemFailures.length) options.warn(`security events relay: ${batchItemFailures.length} events not published`);
      }
    }
    // A shard that closed has children that started after us: read them from their start.
    if (closed) await discoverShards('TRIM_HORIZON');
  }

  let lastWarning: string | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await pollOnce();
        lastWarning = undefined;
      } catch (error) {
        // Said once, not every poll (DynamoDB Local going down says the same thing four times a second).
        const warning = `security events relay: ${error instanceof Error ? error.message : String(error)}`;
        if (running && warning !== lastWarning) options.warn(warning);
        lastWarning = warning;
        // An iterator may have expired (a machine that slept for 15 minutes): start again from the end.
        iterators.clear();
        await discoverShards('LATEST').catch(() => undefined);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS).unref();
      });
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      streams.destroy();
    },
  };
}
