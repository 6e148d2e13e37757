// Pending authorization requests (lib/domain/authorization-request.ts), by id, with a TTL.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthorizationRequest, AuthorizationRequestStore } from '../domain/authorization-request.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { authorizationRequestKey } from './keys.ts';

const TYPE = 'authorizationRequest';

function toRequest(item: Record<string, unknown>): AuthorizationRequest {
  const optional = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] as string } : {});
  return {
    requestId: item.requestId as string,
    clientId: item.clientId as string,
    redirectUri: item.redirectUri as string,
    scopes: (item.scopes as string[]) ?? [],
    ...optional('state'),
    ...optional('nonce'),
    codeChallenge: item.codeChallenge as string,
    prompt: (item.prompt as AuthorizationRequest['prompt']) ?? [],
    ...(typeof item.maxAge === 'number' ? { maxAge: item.maxAge } : {}),
    ...optional('loginHint'),
    ...(Array.isArray(item.acrValues) ? { acrValues: item.acrValues as string[] } : {}),
    createdAt: item.createdAt as number,
    expiresAt: item.expiresAt as number,
  };
}

export function authorizationRequestStore(db: Db, tableName: string): AuthorizationRequestStore {
  return {
    async create(request) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...authorizationRequestKey(request.requestId), type: TYPE, ...request },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(requestId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: authorizationRequestKey(requestId), ConsistentRead: true }));
      return Item?.type === TYPE ? toRequest(Item) : undefined;
    },

    async delete(requestId) {
      // Conditional, so of two tabs finishing one request only one gets a code.
      return conditionalWrite(
        db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: authorizationRequestKey(requestId),
            ConditionExpression: 'attribute_exists(pk) AND #type = :type',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':type': TYPE },
          }),
        ),
      );
    },
  };
}
