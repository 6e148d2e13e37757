// The per-address mail counters: one item per purpose, address and clock hour, counted by a single
// conditional UpdateItem (ADD unless the limit is reached), so DynamoDB itself decides which of
// concurrent requests get the last mails of the hour. Items expire by TTL after their hour.
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MailQuotaStore } from '../domain/mail-quota.ts';
import { toEpochSeconds } from '../support/clock.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { mailQuotaKey } from './keys.ts';

const HOUR_MS = 3_600_000;

export function mailQuotaStore(db: Db, tableName: string): MailQuotaStore {
  return {
    claim(purpose, address, now, limit) {
      const hour = Math.floor(now / HOUR_MS);
      const addressHash = createHash('sha256').update(address, 'utf8').digest('hex');
      // A retry of a write whose answer was lost counts twice: the error is towards fewer mails.
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailQuotaKey(purpose, addressHash, hour),
            UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': toEpochSeconds((hour + 1) * HOUR_MS) + 60 },
          }),
        ),
      );
    },
  };
}
