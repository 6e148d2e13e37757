// Pending second steps of logins (the mfa_token, lib/domain/mfa.ts), one item per token under its
// SHA-256, expiring by TTL. Every outcome that can be raced is one conditional write: a wrong code
// counts only while the token is unused and under the limit, and spending it succeeds once.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MFA_TOKEN_MAX_FAILURES, type MfaChallenge, type MfaChallengeStore } from '../domain/mfa.ts';
import type { Db } from './client.ts';
import { unlessConditionFails } from './conditional-write.ts';
import { mfaChallengeKey, ownedItemListing } from './keys.ts';

const TYPE = 'mfaChallenge';

/** Still usable: exists, not spent, under the failure limit. */
const USABLE = '#type = :type AND used = :false AND failures < :max';

export function mfaChallengeStore(db: Db, tableName: string): MfaChallengeStore {
  const usableValues = { ':type': TYPE, ':false': false, ':max': MFA_TOKEN_MAX_FAILURES };
  /** One conditional update of a still usable token (plus `condition`); undefined when the condition failed. */
  const updateIfUsable = (tokenHash: string, update: string, values: Record<string, unknown>, returned?: 'UPDATED_NEW' | 'UPDATED_OLD', condition = '') =>
    unlessConditionFails(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: mfaChallengeKey(tokenHash),
          UpdateExpression: update,
          ConditionExpression: `${USABLE}${condition}`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ...usableValues, ...values },
          ...(returned ? { ReturnValues: returned } : {}),
        }),
      ),
    );
  return {
    async create(challenge) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...mfaChallengeKey(challenge.tokenHash),
            ...ownedItemListing(challenge.userId, 'MFATOKEN', challenge.tokenHash),
            type: TYPE,
            ...challenge,
            used: false,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(tokenHash) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: mfaChallengeKey(tokenHash), ConsistentRead: true }));
      if (Item?.type !== TYPE || Item.used === true) return undefined;
      const challenge: MfaChallenge = {
        tokenHash,
        userId: Item.userId as string,
        purpose: Item.purpose as MfaChallenge['purpose'],
        passwordFingerprint: Item.passwordFingerprint as string,
        authTime: Item.authTime as number,
        failures: Item.failures as number,
        expiresAt: Item.expiresAt as number,
        ...(typeof Item.webauthnChallenge === 'string' ? { webauthnChallenge: Item.webauthnChallenge } : {}),
      };
      return challenge;
    },

    async recordFailure(tokenHash) {
      const output = await updateIfUsable(tokenHash, 'ADD failures :one', { ':one': 1 }, 'UPDATED_NEW');
      return output ? (output.Attributes?.failures as number) : undefined;
    },

    async consume(tokenHash) {
      return (await updateIfUsable(tokenHash, 'SET used = :true', { ':true': true })) !== undefined;
    },

    async setWebauthnChallenge(tokenHash, challenge) {
      return (await updateIfUsable(tokenHash, 'SET webauthnChallenge = :challenge', { ':challenge': challenge })) !== undefined;
    },

    async takeWebauthnChallenge(tokenHash) {
      const output = await updateIfUsable(tokenHash, 'REMOVE webauthnChallenge', {}, 'UPDATED_OLD', ' AND attribute_exists(webauthnChallenge)');
      const challenge = output?.Attributes?.webauthnChallenge;
      return typeof challenge === 'string' ? challenge : undefined;
    },
  };
}
