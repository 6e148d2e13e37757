// Passkeys (lib/domain/mfa.ts): each one an item in its owner's partition (listed with the other
// factors) and a lookup item under its credential id (passwordless sign-in starts from the
// credential), written and removed together with the profile's passkeyCount in one transaction.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Passkey, PasskeyStore } from '../domain/mfa.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { passkeyKey, passkeyLookupKey, recoveryCodesKey, userKey } from './keys.ts';
import { factorAddedItems, factorRemovedItem, PASSKEY_TYPE } from './mfa-factors.ts';
import { conditionalTransaction } from './transact.ts';

const LOOKUP_TYPE = 'passkeyLookup';

function toPasskey(item: Record<string, unknown>): Passkey {
  return {
    credentialId: item.credentialId as string,
    userId: item.userId as string,
    name: item.name as string,
    publicKey: item.publicKey as string,
    counter: item.counter as number,
    transports: (item.transports as string[] | undefined) ?? [],
    deviceType: item.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    backedUp: item.backedUp === true,
    ...(typeof item.aaguid === 'string' ? { aaguid: item.aaguid } : {}),
    createdAt: item.createdAt as number,
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
  };
}

export function passkeyStore(db: Db, tableName: string): PasskeyStore {
  return {
    async add(passkey, recoveryCodeHashes) {
      const failed = await conditionalTransaction(db, [
        {
          Put: {
            TableName: tableName,
            Item: { ...passkeyKey(passkey.userId, passkey.credentialId), type: PASSKEY_TYPE, ...passkey },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // A credential id is registered once, to one account (WebAuthn §7.1 step 26).
        {
          Put: {
            TableName: tableName,
            Item: { ...passkeyLookupKey(passkey.credentialId), type: LOOKUP_TYPE, userId: passkey.userId, credentialId: passkey.credentialId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...factorAddedItems(tableName, passkey.userId, 'webauthn', passkey.createdAt, recoveryCodeHashes),
      ]);
      return failed.length === 0;
    },

    async get(credentialId) {
      const { Item: lookup } = await db.send(new GetCommand({ TableName: tableName, Key: passkeyLookupKey(credentialId), ConsistentRead: true }));
      if (lookup?.type !== LOOKUP_TYPE) return undefined;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: passkeyKey(lookup.userId as string, credentialId), ConsistentRead: true }));
      return Item?.type === PASSKEY_TYPE ? toPasskey(Item) : undefined;
    },

    async list(userId) {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': userKey(userId).pk, ':prefix': 'MFA#PASSKEY#' },
          ConsistentRead: true,
        }),
      );
      return (Items ?? []).filter((item) => item.type === PASSKEY_TYPE).map(toPasskey);
    },

    async recordUse(credentialId, expectedCounter, update) {
      const passkey = await this.get(credentialId);
      if (!passkey) return false;
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: passkeyKey(passkey.userId, credentialId),
            UpdateExpression: 'SET #counter = :counter, backedUp = :backedUp, lastUsedAt = :now',
            ConditionExpression: '#type = :type AND #counter = :expected',
            ExpressionAttributeNames: { '#type': 'type', '#counter': 'counter' },
            ExpressionAttributeValues: {
              ':counter': update.counter,
              ':backedUp': update.backedUp,
              ':now': update.now,
              ':type': PASSKEY_TYPE,
              ':expected': expectedCounter,
            },
          }),
        ),
      );
    },

    async remove(userId, credentialId) {
      const removePasskey = [
        { Delete: { TableName: tableName, Key: passkeyKey(userId, credentialId), ConditionExpression: 'attribute_exists(pk)' } },
        { Delete: { TableName: tableName, Key: passkeyLookupKey(credentialId) } },
      ];
      // The last factor takes the recovery codes with it (as deleteTotp does), decided in the same
      // transaction by the profile: this is its only passkey and it has no TOTP. Otherwise that
      // condition fails, and the passkey alone is removed.
      const lastFactor = await conditionalTransaction(db, [
        ...removePasskey,
        {
          Update: {
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE passkeyCount',
            ConditionExpression: 'attribute_exists(pk) AND passkeyCount = :one AND (attribute_not_exists(mfaTotp) OR mfaTotp = :false)',
            ExpressionAttributeValues: { ':one': 1, ':false': false },
          },
        },
        { Delete: { TableName: tableName, Key: recoveryCodesKey(userId) } },
      ]);
      if (lastFactor.length === 0) return true;
      if (!lastFactor.includes(2) || lastFactor.includes(0)) return false;
      return (await conditionalTransaction(db, [...removePasskey, factorRemovedItem(tableName, userId, 'webauthn')])).length === 0;
    },
  };
}
