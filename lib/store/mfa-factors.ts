// MFA factors (lib/domain/mfa.ts) in the user's partition: the TOTP factor and its unconfirmed
// enrolment, the recovery codes (a string set of SHA-256 hashes, so spending one is one conditional
// DELETE), and the counters on the profile item (mfaTotp, passkeyCount) that every factor change
// updates in the same transaction. Passkeys are in ./passkeys.ts and use the item builders here.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FactorSummary, MfaFactorStore, PendingTotp, RecoveryCodes, TotpFactor } from '../domain/mfa.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { MFA_SK_PREFIX, passkeyLookupKey, pendingTotpKey, recoveryCodesKey, totpKey, userKey } from './keys.ts';
import { conditionalTransaction, type TransactItems } from './transact.ts';

const TOTP = 'mfaTotp';
const PENDING_TOTP = 'mfaPendingTotp';
const RECOVERY = 'mfaRecoveryCodes';
export const PASSKEY_TYPE = 'passkey';

/** The user has no factor yet: the condition of a first factor's transaction (it also stores the recovery codes). */
const NO_FACTOR = '(attribute_not_exists(mfaTotp) OR mfaTotp = :false) AND (attribute_not_exists(passkeyCount) OR passkeyCount = :zero)';

/**
 * The writes that go with adding a factor: the profile's counter moves (only on an existing user,
 * and for a first factor only while there is still none), and a first factor's recovery codes
 * replace any old set. Used by confirmTotp here and by ./passkeys.ts.
 */
export function factorAddedItems(tableName: string, userId: string, kind: 'totp' | 'webauthn', now: number, recoveryCodeHashes?: string[]): TransactItems {
  const first = recoveryCodeHashes !== undefined;
  const items: TransactItems = [
    {
      Update: {
        TableName: tableName,
        Key: userKey(userId),
        UpdateExpression: kind === 'totp' ? 'SET mfaTotp = :true' : 'ADD passkeyCount :one',
        ConditionExpression: `attribute_exists(pk)${first ? ` AND ${NO_FACTOR}` : ''}`,
        ExpressionAttributeValues: {
          ...(kind === 'totp' ? { ':true': true } : { ':one': 1 }),
          ...(first ? { ':false': false, ':zero': 0 } : {}),
        },
      },
    },
  ];
  if (first) {
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...recoveryCodesKey(userId), type: RECOVERY, userId, unusedHashes: new Set(recoveryCodeHashes), createdAt: now },
      },
    });
  }
  return items;
}

/** The write that goes with removing a factor: the profile's counter moves back. */
export function factorRemovedItem(tableName: string, userId: string, kind: 'totp' | 'webauthn'): TransactItems[number] {
  return {
    Update: {
      TableName: tableName,
      Key: userKey(userId),
      UpdateExpression: kind === 'totp' ? 'REMOVE mfaTotp' : 'ADD passkeyCount :minusOne',
      ConditionExpression: kind === 'totp' ? 'attribute_exists(pk)' : 'attribute_exists(pk) AND passkeyCount > :zero',
      ...(kind === 'totp' ? {} : { ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 } }),
    },
  };
}

function toTotp(item: Record<string, unknown>): TotpFactor {
  return {
    userId: item.userId as string,
    secret: { ciphertext: item.ciphertext as string, wrappedDataKey: item.wrappedDataKey as string },
    createdAt: item.createdAt as number,
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
    ...(typeof item.lastStep === 'number' ? { lastStep: item.lastStep } : {}),
  };
}

function toRecoveryCodes(item: Record<string, unknown>): RecoveryCodes {
  return {
    userId: item.userId as string,
    unusedHashes: item.unusedHashes instanceof Set ? [...(item.unusedHashes as Set<string>)] : [],
    createdAt: item.createdAt as number,
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
  };
}

export function mfaFactorStore(db: Db, tableName: string): MfaFactorStore {
  const getItem = async (key: { pk: string; sk: string }, type: string) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item?.type === type ? Item : undefined;
  };

  async function factorItems(userId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': userKey(userId).pk, ':prefix': MFA_SK_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    async getTotp(userId) {
      const item = await getItem(totpKey(userId), TOTP);
      return item ? toTotp(item) : undefined;
    },

    async putPendingTotp(pending: PendingTotp) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...pendingTotpKey(pending.userId), type: PENDING_TOTP, userId: pending.userId, ...pending.secret, expiresAt: pending.expiresAt },
        }),
      );
    },

    async getPendingTotp(userId) {
      const item = await getItem(pendingTotpKey(userId), PENDING_TOTP);
      if (!item) return undefined;
      return { userId, secret: { ciphertext: item.ciphertext as string, wrappedDataKey: item.wrappedDataKey as string }, expiresAt: item.expiresAt as number };
    },

    async confirmTotp(factor, recoveryCodeHashes) {
      const items: TransactItems = [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...totpKey(factor.userId),
              type: TOTP,
              userId: factor.userId,
              ...factor.secret,
              createdAt: factor.createdAt,
              ...(factor.lastStep !== undefined ? { lastStep: factor.lastStep, lastUsedAt: factor.lastUsedAt ?? factor.createdAt } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The enrolment being confirmed must still be the pending one (not replaced by a newer start).
        {
          Delete: {
            TableName: tableName,
            Key: pendingTotpKey(factor.userId),
            ConditionExpression: 'ciphertext = :ciphertext',
            ExpressionAttributeValues: { ':ciphertext': factor.secret.ciphertext },
          },
        },
        ...factorAddedItems(tableName, factor.userId, 'totp', factor.createdAt, recoveryCodeHashes),
      ];
      return (await conditionalTransaction(db, items)).length === 0;
    },

    async useTotpStep(userId, step, now) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: totpKey(userId),
            UpdateExpression: 'SET lastStep = :step, lastUsedAt = :now',
            ConditionExpression: '#type = :type AND (attribute_not_exists(lastStep) OR lastStep < :step)',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':step': step, ':now': now, ':type': TOTP },
          }),
        ),
      );
    },

    async deleteTotp(userId) {
      const removeTotp = { Delete: { TableName: tableName, Key: totpKey(userId), ConditionExpression: 'attribute_exists(pk)' } };
      // The last factor takes the recovery codes with it, decided in the same transaction by the
      // profile's passkey count; when the user has passkeys, that condition fails and the codes stay.
      const lastFactor = await conditionalTransaction(db, [
        removeTotp,
        {
          Update: {
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE mfaTotp',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(passkeyCount) OR passkeyCount = :zero)',
            ExpressionAttributeValues: { ':zero': 0 },
          },
        },
        { Delete: { TableName: tableName, Key: recoveryCodesKey(userId) } },
      ]);
      if (lastFactor.length === 0) return true;
      if (!lastFactor.includes(1) || lastFactor.includes(0)) return false;
      return (await conditionalTransaction(db, [removeTotp, factorRemovedItem(tableName, userId, 'totp')])).length === 0;
    },

    async getRecoveryCodes(userId) {
      const item = await getItem(recoveryCodesKey(userId), RECOVERY);
      return item ? toRecoveryCodes(item) : undefined;
    },

    async useRecoveryCode(userId, codeHash, now) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: recoveryCodesKey(userId),
            UpdateExpression: 'DELETE unusedHashes :hash SET lastUsedAt = :now',
            ConditionExpression: 'contains(unusedHashes, :code)',
            ExpressionAttributeValues: { ':hash': new Set([codeHash]), ':code': codeHash, ':now': now },
          }),
        ),
      );
    },

    async replaceRecoveryCodes(userId, codeHashes, now) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...recoveryCodesKey(userId), type: RECOVERY, userId, unusedHashes: new Set(codeHashes), createdAt: now },
        }),
      );
    },

    async listFactors(userId) {
      const factors: FactorSummary[] = [];
      for (const item of await factorItems(userId)) {
        const lastUsed = typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {};
        if (item.type === TOTP) factors.push({ type: 'totp', id: 'totp', name: 'Authenticator app', createdAt: item.createdAt as number, ...lastUsed });
        if (item.type === PASSKEY_TYPE) {
          factors.push({ type: 'webauthn', id: item.credentialId as string, name: item.name as string, createdAt: item.createdAt as number, ...lastUsed });
        }
        if (item.type === RECOVERY) {
          const codes = toRecoveryCodes(item);
          factors.push({
            type: 'recovery_codes',
            id: 'recovery_codes',
            name: 'Recovery codes',
            createdAt: codes.createdAt,
            remaining: codes.unusedHashes.length,
            ...lastUsed,
          });
        }
      }
      return factors.sort((a, b) => b.createdAt - a.createdAt);
    },

    async deleteAll(userId) {
      // The profile's counters first: from then on no login asks for a second step. Each delete
      // after it is idempotent, so a reset interrupted halfway is finished by running it again.
      await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE mfaTotp, passkeyCount',
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
      for (const item of await factorItems(userId)) {
        if (item.type === PASSKEY_TYPE) await db.send(new DeleteCommand({ TableName: tableName, Key: passkeyLookupKey(item.credentialId as string) }));
        await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
      }
    },
  };
}
