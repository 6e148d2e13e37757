// What the table says about a token right now: is its jti on the revocation list, is its session
// (refresh family) revoked, and what is its user's state. One consistent BatchGetItem answers all
// three, so checking a token costs a single round trip.
import { BatchGetCommand, PutCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { refreshFamilyKey, revokedTokenKey, userKey } from './keys.ts';
import { userFromItem, type User } from './users.ts';

export interface TokenStateQuery {
  jti: string;
  userId: string;
  /** The session (refresh family) the token belongs to, if any. */
  familyId?: string;
}

export interface TokenState {
  jtiRevoked: boolean;
  familyRevoked: boolean;
  user: User | undefined;
}

export interface RevocationStore {
  lookup(query: TokenStateQuery, nowSeconds: number): Promise<TokenState>;
  /** Puts a jti on the revocation list until the token would have expired anyway. */
  revokeJti(jti: string, tokenExpiresAt: number, now: number): Promise<void>;
}

const MAX_ATTEMPTS = 4;

export function revocationStore(db: Db, tableName: string): RevocationStore {
  async function batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, string>[] = keys;
    for (let attempt = 1; pending.length; attempt += 1) {
      const output: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(output.Responses?.[tableName] ?? []));
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
      // Unprocessed keys mean throttling; the SDK already backed off, so one more short pause.
      if (pending.length && attempt >= MAX_ATTEMPTS) throw Object.assign(new Error('BatchGetItem left keys unprocessed'), { name: 'ProvisionedThroughputExceededException' });
      if (pending.length) await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
    return items;
  }

  return {
    async lookup(query, nowSeconds) {
      const keys = [revokedTokenKey(query.jti), userKey(query.userId)];
      if (query.familyId) keys.push(refreshFamilyKey(query.familyId));
      const items = await batchGet(keys);
      const find = (pk: string) => items.find((item) => item.pk === pk);
      const live = (item: Record<string, unknown> | undefined) =>
        item !== undefined && !(typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds);
      const userItem = find(userKey(query.userId).pk);
      const familyItem = query.familyId ? find(refreshFamilyKey(query.familyId).pk) : undefined;
      return {
        jtiRevoked: live(find(revokedTokenKey(query.jti).pk)),
        // A session that has expired or vanished is as over as a revoked one.
        familyRevoked: query.familyId !== undefined && (!live(familyItem) || familyItem?.revoked === true),
        user: userItem ? userFromItem(userItem) : undefined,
      };
    },

    async revokeJti(jti, tokenExpiresAt, now) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...revokedTokenKey(jti), type: 'revokedToken', revokedAt: now, expiresAt: tokenExpiresAt },
        }),
      );
    },
  };
}
