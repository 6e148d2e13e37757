// WebAuthn ceremonies' challenges outside a login's second step (registering a passkey, and
// passwordless sign-in), one item per ceremony expiring by TTL. A challenge is taken by a
// conditional delete, so a response is checked against it at most once (WebAuthn §13.4.3).
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebauthnCeremonyStore } from '../domain/mfa.ts';
import type { Db } from './client.ts';
import { unlessConditionFails } from './conditional-write.ts';
import { ownedItemListing, webauthnCeremonyKey } from './keys.ts';

const TYPE = 'webauthnCeremony';

export function webauthnCeremonyStore(db: Db, tableName: string): WebauthnCeremonyStore {
  return {
    async create(ceremony) {
      // Registration ceremonies are keyed by user: a new one replaces the user's earlier one.
      // One that names a user (a registration) is listed under them, for the account's deletion.
      const listing = ceremony.userId ? ownedItemListing(ceremony.userId, 'WEBAUTHN', ceremony.ceremonyId) : {};
      await db.send(new PutCommand({ TableName: tableName, Item: { ...webauthnCeremonyKey(ceremony.ceremonyId), ...listing, type: TYPE, ...ceremony } }));
    },

    async take(ceremonyId, kind) {
      const output = await unlessConditionFails(
        db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: webauthnCeremonyKey(ceremonyId),
            ConditionExpression: '#type = :type AND kind = :kind',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':type': TYPE, ':kind': kind },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      const item = output?.Attributes;
      if (!item) return undefined;
      return {
        ceremonyId,
        kind,
        challenge: item.challenge as string,
        ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
        expiresAt: item.expiresAt as number,
      };
    },
  };
}
