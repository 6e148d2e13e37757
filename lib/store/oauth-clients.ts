// OAuth clients (lib/domain/oauth-client.ts): one item per client, listed through gsi1, and one
// item per browser origin of its redirect URIs (pk CLIENTORIGIN#<origin>), which CORS preflights
// of the token, userinfo and revocation endpoints read with one Query. A client and its origins
// are written, replaced and deleted in one transaction, so they never disagree.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { OAuthClient, OAuthClientStore } from '../domain/oauth-client.ts';
import { clientOriginKeys, corsOriginKey } from '../domain/redirect-uri.ts';
import type { Db } from './client.ts';
import { clientOriginKey, OAUTH_CLIENT_LISTING, oauthClientKey } from './keys.ts';
import { queryAll } from './query-all.ts';
import { conditionalTransaction, type TransactItems } from './transact.ts';

const TYPE = 'oauthClient';

function toClient(item: Record<string, unknown>): OAuthClient {
  return {
    clientId: item.clientId as string,
    name: item.name as string,
    type: item.clientType as OAuthClient['type'],
    tokenEndpointAuthMethod: item.tokenEndpointAuthMethod as OAuthClient['tokenEndpointAuthMethod'],
    ...(typeof item.secretHash === 'string' ? { secretHash: item.secretHash } : {}),
    redirectUris: (item.redirectUris as string[]) ?? [],
    postLogoutRedirectUris: (item.postLogoutRedirectUris as string[]) ?? [],
    scopes: (item.scopes as string[]) ?? [],
    grantTypes: (item.grantTypes as OAuthClient['grantTypes']) ?? [],
    firstParty: item.firstParty === true,
    resources: (item.resources as string[]) ?? [],
    registeredBy: item.registeredBy as OAuthClient['registeredBy'],
    ...(typeof item.clientUri === 'string' ? { clientUri: item.clientUri } : {}),
    createdAt: item.createdAt as number,
    updatedAt: item.updatedAt as number,
  };
}

export function oauthClientStore(db: Db, tableName: string): OAuthClientStore {
  const clientItem = (client: OAuthClient) => {
    const { type, ...fields } = client;
    return {
      ...oauthClientKey(client.clientId),
      type: TYPE,
      clientType: type,
      ...fields,
      gsi1pk: OAUTH_CLIENT_LISTING,
      gsi1sk: `${new Date(client.createdAt).toISOString()}#${client.clientId}`,
    };
  };
  const originPuts = (client: OAuthClient): TransactItems =>
    clientOriginKeys(client.redirectUris).map((origin) => ({
      Put: { TableName: tableName, Item: { ...clientOriginKey(origin, client.clientId), type: 'clientOrigin', clientId: client.clientId } },
    }));
  const originDeletes = (client: OAuthClient): TransactItems =>
    clientOriginKeys(client.redirectUris).map((origin) => ({ Delete: { TableName: tableName, Key: clientOriginKey(origin, client.clientId) } }));

  async function get(clientId: string): Promise<OAuthClient | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: oauthClientKey(clientId), ConsistentRead: true }));
    return Item?.type === TYPE ? toClient(Item) : undefined;
  }

  return {
    get,

    async create(client) {
      const failed = await conditionalTransaction(db, [
        { Put: { TableName: tableName, Item: clientItem(client), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...originPuts(client),
      ]);
      if (failed.length) throw new ConflictError([{ field: 'client_id', message: 'A client with this id exists.' }]);
    },

    async list() {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': OAUTH_CLIENT_LISTING },
      });
      return items.filter((item) => item.type === TYPE).map(toClient);
    },

    async update(client, expectedUpdatedAt) {
      const current = await get(client.clientId);
      if (!current) throw new NotFoundError('No such client.');
      const keep = new Set(clientOriginKeys(client.redirectUris));
      const failed = await conditionalTransaction(db, [
        {
          Put: {
            TableName: tableName,
            Item: clientItem(client),
            ConditionExpression: 'updatedAt = :expected',
            ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
          },
        },
        ...originDeletes(current).filter((item) => !keep.has(String(item.Delete!.Key!.pk).slice('CLIENTORIGIN#'.length))),
        ...originPuts(client),
      ]);
      if (failed.length) throw new ConflictError([{ field: 'client_id', message: 'The client changed meanwhile; read it again and retry.' }]);
    },

    async delete(clientId) {
      const current = await get(clientId);
      if (!current) return false;
      const failed = await conditionalTransaction(db, [
        { Delete: { TableName: tableName, Key: oauthClientKey(clientId), ConditionExpression: 'attribute_exists(pk)' } },
        ...originDeletes(current),
      ]);
      return failed.length === 0;
    },

    async isClientOrigin(origin) {
      const key = corsOriginKey(origin);
      if (key === undefined) return false;
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': clientOriginKey(key, '').pk },
          Limit: 1,
        }),
      );
      return (Items ?? []).length > 0;
    },
  };
}
