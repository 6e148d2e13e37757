// Browser sessions (lib/domain/browser-session.ts), one item per session under its id, with the
// hash of the cookie's secret and a TTL.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BrowserSessionStore, StoredBrowserSession } from '../domain/browser-session.ts';
import type { RequestOrigin } from '../support/request-context.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { browserSessionKey, userListing } from './keys.ts';
import { queryAll } from './query-all.ts';

const TYPE = 'browserSession';
/**
 * The user's sessions, newest first, in gsi1 (gsi1pk USER#<id>): the sessions list reads them, and
 * an account's deletion finds them with the rest of what the user owns.
 */
const LISTING_PREFIX = 'BROWSERSESSION#';

function toSession(item: Record<string, unknown>): StoredBrowserSession {
  return {
    sessionId: item.sessionId as string,
    secretHash: item.secretHash as string,
    userId: item.userId as string,
    authTime: item.authTime as number,
    amr: (item.amr as string[]) ?? [],
    ...(typeof item.acr === 'string' ? { acr: item.acr } : {}),
    createdAt: item.createdAt as number,
    expiresAt: item.expiresAt as number,
    revoked: item.revoked === true,
    ...(item.origin && typeof item.origin === 'object' ? { origin: item.origin as RequestOrigin } : {}),
  };
}

export function browserSessionStore(db: Db, tableName: string): BrowserSessionStore {
  return {
    async create(session) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...browserSessionKey(session.sessionId),
            gsi1pk: userListing(session.userId),
            gsi1sk: `${LISTING_PREFIX}${new Date(session.createdAt).toISOString()}#${session.sessionId}`,
            type: TYPE,
            ...session,
            revoked: false,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(sessionId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: browserSessionKey(sessionId), ConsistentRead: true }));
      return Item?.type === TYPE ? toSession(Item) : undefined;
    },

    async reauthenticate(sessionId, update) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: browserSessionKey(sessionId),
            // A password-only re-authentication drops the acr an earlier second factor gave.
            UpdateExpression: `SET authTime = :authTime, amr = :amr, expiresAt = :expiresAt${update.acr === undefined ? ' REMOVE acr' : ', acr = :acr'}`,
            ConditionExpression: '#type = :type AND revoked = :false',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':authTime': update.authTime,
              ':amr': update.amr,
              ':expiresAt': update.expiresAt,
              ':type': TYPE,
              ':false': false,
              ...(update.acr === undefined ? {} : { ':acr': update.acr }),
            },
          }),
        ),
      );
    },

    async revoke(sessionId, now) {
      // A failed condition: an unknown session (expired and deleted by TTL) has nothing left to end.
      await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: browserSessionKey(sessionId),
            UpdateExpression: 'SET revoked = :true, revokedAt = if_not_exists(revokedAt, :now)',
            ConditionExpression: 'attribute_exists(pk) AND #type = :type',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':true': true, ':now': now, ':type': TYPE },
          }),
        ),
      );
    },

    async listForUser(userId) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': userListing(userId), ':prefix': LISTING_PREFIX },
        ScanIndexForward: false,
      });
      return items.filter((item) => item.type === TYPE).map(toSession);
    },
  };
}
