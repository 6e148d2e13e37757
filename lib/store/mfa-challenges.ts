// Pending second steps of logins (the mfa_token, lib/domain/mfa.ts), one item per token under its
// SHA-256, expiring by TTL. Every outcome that can be raced is one conditional write: a wrong code
// counts only while the token is unused and under the limit, and spending it succeeds once.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MFA_TOKEN_MAX_FAILURES, type MfaChallenge, type MfaChallengeStore } from '../domain/mfa.ts';
import type { Db } from './client.ts';
import { conditionalWrite, unlessConditionFails } from './conditional-write.ts';
import { mfaChallengeKey } from './keys.ts';

const TYPE = 'mfaChallenge';

/** Still usable: exists, not spent, under the failure limit. */
const USABLE = '#type = :type AND used = :false AND failures < :max';

export function mfaChallengeStore(db: Db, tableName: string): MfaChallengeStore {
  const usableValues = { ':type': TYPE, ':false': false, ':max': MFA_TOKEN_MAX_FAILURES };
  return {
    async create(challenge) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...mfaChallengeKey(challenge.tokenHash), type: TYPE, ...challenge, used: false },
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
      const output = await unlessConditionFails(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mfaChallengeKey(tokenHash),
            UpdateExpression: 'ADD failures :one',
            ConditionExpression: USABLE,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ...usableValues, ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return output ? (output.Attributes?.failures as number) : undefined;
    },

    async consume(tokenHash) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mfaChallengeKey(tokenHash),
            UpdateExpression: 'SET used = :true',
            ConditionExpression: USABLE,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ...usableValues, ':true': true },
          }),
        ),
      );
    },

    async setWebauthnChallenge(tokenHash, challenge) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mfaChallengeKey(tokenHash),
            UpdateExpression: 'SET webauthnChallenge = :challenge',
            ConditionExpression: USABLE,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ...usableValues, ':challenge': challenge },
          }),
        ),
      );
    },

    async takeWebauthnChallenge(tokenHash) {
      const output = await unlessConditionFails(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mfaChallengeKey(tokenHash),
            UpdateExpression: 'REMOVE webauthnChallenge',
            ConditionExpression: `${USABLE} AND attribute_exists(webauthnChallenge)`,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: usableValues,
            ReturnValues: 'UPDATED_OLD',
          }),
        ),
      );
      const challenge = output?.Attributes?.webauthnChallenge;
      return typeof challenge === 'string' ? challenge : undefined;
    },
  };
}
