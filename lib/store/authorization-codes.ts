// Authorization codes (lib/domain/authorization-code.ts), stored by their SHA-256 hash with a TTL.
// Spending one is a single transaction: the code's `used` flips from false to true on that
// condition, and the session it starts is written beside it, so of two concurrent redemptions
// exactly one succeeds, and the loser (or a later replay) finds the session to end.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthorizationCodeStore, StoredAuthorizationCode } from '../domain/authorization-code.ts';
import type { Db } from './client.ts';
import { authorizationCodeKey, ownedItemListing } from './keys.ts';
import { newSessionItems } from './sessions.ts';
import { conditionalTransaction } from './transact.ts';

const TYPE = 'authorizationCode';

function toCode(item: Record<string, unknown>): StoredAuthorizationCode {
  return {
    codeHash: String(item.pk).slice('AUTHCODE#'.length),
    clientId: item.clientId as string,
    userId: item.userId as string,
    redirectUri: item.redirectUri as string,
    codeChallenge: item.codeChallenge as string,
    scopes: (item.scopes as string[]) ?? [],
    ...(typeof item.nonce === 'string' ? { nonce: item.nonce } : {}),
    authTime: item.authTime as number,
    amr: (item.amr as string[]) ?? [],
    ...(typeof item.acr === 'string' ? { acr: item.acr } : {}),
    browserSessionId: item.browserSessionId as string,
    createdAt: item.createdAt as number,
    expiresAt: item.expiresAt as number,
    used: item.used === true,
    ...(typeof item.familyId === 'string' ? { familyId: item.familyId } : {}),
  };
}

export function authorizationCodeStore(db: Db, tableName: string): AuthorizationCodeStore {
  return {
    async create(code) {
      const { codeHash, ...fields } = code;
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...authorizationCodeKey(codeHash), ...ownedItemListing(code.userId, 'AUTHCODE', codeHash), type: TYPE, ...fields, used: false },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async find(codeHash) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: authorizationCodeKey(codeHash), ConsistentRead: true }));
      return Item?.type === TYPE ? toCode(Item) : undefined;
    },

    async redeem(codeHash, session) {
      const failed = await conditionalTransaction(db, [
        {
          Update: {
            TableName: tableName,
            Key: authorizationCodeKey(codeHash),
            UpdateExpression: 'SET used = :true, familyId = :family, usedAt = :now',
            ConditionExpression: '#type = :type AND used = :false',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':true': true, ':false': false, ':family': session.familyId, ':now': session.createdAt, ':type': TYPE },
          },
        },
        ...newSessionItems(tableName, session),
      ]);
      if (failed.includes(0)) return 'used';
      // The session's keys are fresh random ids: a failed guard there is a bug, not a replay.
      if (failed.length) throw new Error(`Authorization code redemption: a session guard failed (items ${failed.join(', ')})`);
      return 'redeemed';
    },
  };
}
