// Security events in the table (lib/domain/security-event.ts): one partition per user, sorted by
// time, each item written once and removed by TTL after SECURITY_EVENT_RETENTION_DAYS. New items
// of type `securityEvent` are what the table's stream publishes to EventBridge; the pseudonymised
// copies an account deletion leaves have a type of their own, so they are never published again.

import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { fromWireItem, type WireItem } from '../aws/light-dynamodb/attribute-values.ts';
import { ValidationError } from '../domain/errors.ts';
import type { PseudonymisedEvent, SecurityEvent, SecurityEventStore, SecurityEventType } from '../domain/security-event.ts';
import { BATCH_WRITE_LIMIT, batchWrite, deleteAll } from './batch-write.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { pseudonymisedEventKey, SECURITY_EVENT_SK_PREFIX, securityEventKey, securityEventsPartition } from './keys.ts';
import type { TransactItems } from './transact.ts';

export const SECURITY_EVENT_ITEM_TYPE = 'securityEvent';
export const PSEUDONYMISED_EVENT_ITEM_TYPE = 'pseudonymisedEvent';

/** The Put that appends `event`, for stores that write it in the transaction of the change it records. */
export function securityEventPut(tableName: string, event: SecurityEvent): TransactItems[number] {
  return { Put: { TableName: tableName, Item: securityEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The item: its own `type` names the item kind, so the event's kind is kept as `eventType`. */
function securityEventItem(event: SecurityEvent): Record<string, unknown> {
  const { type, ...rest } = event;
  return { ...securityEventKey(event.userId, event.at, event.id), ...rest, type: SECURITY_EVENT_ITEM_TYPE, eventType: type };
}

export function toSecurityEvent(item: Record<string, unknown>): SecurityEvent {
  return {
    id: item.id as string,
    userId: item.userId as string,
    type: item.eventType as SecurityEventType,
    at: item.at as number,
    channel: item.channel as SecurityEvent['channel'],
    ...(typeof item.clientId === 'string' ? { clientId: item.clientId } : {}),
    ...(typeof item.ipPrefix === 'string' ? { ipPrefix: item.ipPrefix } : {}),
    ...(typeof item.userAgent === 'string' ? { userAgent: item.userAgent } : {}),
    ...(item.details && typeof item.details === 'object' ? { details: item.details as SecurityEvent['details'] } : {}),
    expiresAt: item.expiresAt as number,
  };
}

/**
 * The event a stream record's NewImage holds, or undefined when the item is not a security event
 * (the deployed stream filter passes only those; the local relay sees every change of the table).
 */
export function securityEventFromStreamImage(image: WireItem | undefined): SecurityEvent | undefined {
  // Told apart on the wire first: other items may hold attribute kinds an event never has.
  const type = image?.type;
  if (!image || !type || !('S' in type) || type.S !== SECURITY_EVENT_ITEM_TYPE) return undefined;
  return toSecurityEvent(fromWireItem(image));
}

/** A page boundary as the caller sees it: the sort key it ended at, base64url JSON. */
function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

const MAX_CURSOR_LENGTH = 512;

function decodeCursor(cursor: string): string {
  const refuse = () => new ValidationError([{ field: 'cursor', message: 'This is not a cursor from a previous page.' }]);
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  try {
    const { sk } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { sk?: unknown };
    if (typeof sk === 'string' && sk.startsWith(SECURITY_EVENT_SK_PREFIX)) return sk;
  } catch {
    // falls through to the refusal
  }
  throw refuse();
}

export function securityEventStore(db: Db, tableName: string): SecurityEventStore {
  return {
    async append(event) {
      await db.send(new PutCommand({ TableName: tableName, Item: securityEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async appendNothing() {
      // A Put of an event-sized item under a random key, on a condition that cannot hold (the key is
      // new): DynamoDB does the round trip and the condition check, and writes nothing.
      await conditionalWrite(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `DECOY#${randomUUID()}`, sk: SECURITY_EVENT_SK_PREFIX, type: SECURITY_EVENT_ITEM_TYPE, eventType: 'login_failed' },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
    },

    async list(userId, query, nowSeconds) {
      const startSk = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const since = query.since === undefined ? undefined : `${SECURITY_EVENT_SK_PREFIX}${new Date(query.since).toISOString()}`;
      const filters = ['expiresAt > :now'];
      const values: Record<string, unknown> = { ':pk': securityEventsPartition(userId), ':now': nowSeconds };
      if (query.types?.length) {
        filters.push(`eventType IN (${query.types.map((_, index) => `:type${index}`).join(', ')})`);
        query.types.forEach((type, index) => {
          values[`:type${index}`] = type;
        });
      }
      if (since) values[':since'] = since;
      else values[':prefix'] = SECURITY_EVENT_SK_PREFIX;
      const events: SecurityEvent[] = [];
      const sortKeys: string[] = [];
      let startKey: Record<string, unknown> | undefined = startSk ? { pk: securityEventsPartition(userId), sk: startSk } : undefined;
      let more = true;
      while (events.length < query.limit && more) {
        const page: QueryCommandOutput = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: since ? 'pk = :pk AND sk >= :since' : 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: query.limit,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          events.push(toSecurityEvent(item));
          sortKeys.push(item.sk as string);
        }
        startKey = page.LastEvaluatedKey;
        more = startKey !== undefined;
      }
      const kept = events.slice(0, query.limit);
      const hasMore = events.length > query.limit || more;
      return { events: kept, ...(hasMore && kept.length ? { nextCursor: encodeCursor(sortKeys[kept.length - 1]!) } : {}) };
    },

    async pseudonymise(userId, pseudonym) {
      let moved = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page: QueryCommandOutput = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': securityEventsPartition(userId) },
            ExclusiveStartKey: startKey,
            Limit: BATCH_WRITE_LIMIT,
          }),
        );
        const items = page.Items ?? [];
        if (items.length) {
          // The copy first, then the original: an interruption leaves both, and the next run writes
          // the same copy again (same key) before removing the original.
          await batchWrite(
            db,
            tableName,
            items.map((item) => {
              const event = toSecurityEvent(item);
              const copy: PseudonymisedEvent = {
                pseudonym,
                id: event.id,
                type: event.type,
                at: event.at,
                channel: event.channel,
                ...(event.clientId ? { clientId: event.clientId } : {}),
                ...(event.ipPrefix ? { ipPrefix: event.ipPrefix } : {}),
                expiresAt: event.expiresAt,
              };
              const { type, ...rest } = copy;
              return {
                PutRequest: {
                  Item: { ...pseudonymisedEventKey(pseudonym, event.at, event.id), ...rest, type: PSEUDONYMISED_EVENT_ITEM_TYPE, eventType: type },
                },
              };
            }),
          );
          await deleteAll(
            db,
            tableName,
            items.map((item) => ({ pk: item.pk, sk: item.sk })),
          );
          moved += items.length;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return moved;
    },
  };
}
