// RFC 7591 initial access tokens (lib/domain/registration-token.ts): one item per token hash,
// deleted by DynamoDB's TTL; reads check the expiry themselves, since that deletion is lazy.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RegistrationTokenStore } from '../domain/registration-token.ts';
import type { Db } from './client.ts';
import { registrationTokenKey } from './keys.ts';

const TYPE = 'registrationToken';

export function registrationTokenStore(db: Db, tableName: string): RegistrationTokenStore {
  return {
    async create(tokenHash, expiresAt) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...registrationTokenKey(tokenHash), type: TYPE, expiresAt } }));
    },

    async isValid(tokenHash, nowSeconds) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: registrationTokenKey(tokenHash), ConsistentRead: true }));
      return Item?.type === TYPE && typeof Item.expiresAt === 'number' && Item.expiresAt > nowSeconds;
    },
  };
}
