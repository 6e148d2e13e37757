// Consents (lib/domain/consent.ts): one item per user and client in the user's partition, its
// scopes a DynamoDB string set, so concurrent grants merge with ADD instead of overwriting.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentStore } from '../domain/consent.ts';
import type { Db } from './client.ts';
import { consentKey, userKey } from './keys.ts';
import { queryAll } from './query-all.ts';

const TYPE = 'consent';

export function consentStore(db: Db, tableName: string): ConsentStore {
  return {
    async scopes(userId, clientId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: consentKey(userId, clientId), ConsistentRead: true }));
      if (Item?.type !== TYPE || !(Item.scopes instanceof Set)) return [];
      return [...(Item.scopes as Set<string>)].sort();
    },

    async grant(userId, clientId, scopes, now) {
      if (scopes.length === 0) return;
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: consentKey(userId, clientId),
          UpdateExpression: 'ADD scopes :scopes SET #type = :type, clientId = :client, updatedAt = :now',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':scopes': new Set(scopes), ':type': TYPE, ':client': clientId, ':now': now },
        }),
      );
    },

    async list(userId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': userKey(userId).pk, ':prefix': 'CONSENT#' },
        ConsistentRead: true,
      });
      return items
        .filter((item) => item.type === TYPE && item.scopes instanceof Set)
        .map((item) => ({ clientId: item.clientId as string, scopes: [...(item.scopes as Set<string>)].sort() }));
    },
  };
}
