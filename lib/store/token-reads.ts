// The table access of checking a token, written once against DynamoDbReader: whether a JWT's jti,
// session, user and (for a service token) parent still stand (one BatchGetItem), an API token's
// record and owner (one BatchGetItem) and its last use (a conditional UpdateItem), and the signing
// key set (Query). The SDK-backed stores (./revocations.ts, ./api-tokens.ts, ./signing-keys.ts)
// delegate here, and the Lambda authorizer runs the same code on its light client
// (lib/wiring/authorizer.ts).
// Nothing here may import the SDK: it would be loaded at the authorizer's cold start.
import type { DynamoDbReader } from '../aws/dynamodb-reader.ts';
import type { ApiTokenReads } from '../domain/api-token.ts';
import type { TokenStateReads } from '../domain/revocation.ts';
import type { KeySet, PublicKeyRecord, SigningKeyReads } from '../domain/signing-key.ts';
import { apiTokenFromItem } from './api-token-item.ts';
import { conditionalWrite } from './conditional-write.ts';
import { apiTokenKey, currentKeyPointer, refreshFamilyKey, revokedTokenKey, SIGNING_KEYS_PK, userKey } from './keys.ts';
import { RETRY_POLICIES, tryAgain, withRetries } from './retry-policy.ts';
import { userFromItem } from './user-item.ts';

/** What the table says about a token right now: one consistent BatchGetItem for jti, session, user and parent. */
export function tokenStateReads(reader: DynamoDbReader, tableName: string): TokenStateReads {
  async function batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, string>[] = keys;
    // Unprocessed keys mean throttling; the client already backed off, so a few more short pauses.
    await withRetries(RETRY_POLICIES.unprocessedItems, async () => {
      const output = await reader.batchGet({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } });
      items.push(...(output.Responses?.[tableName] ?? []));
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
      return pending.length ? tryAgain(new Error('BatchGetItem left keys unprocessed')) : undefined;
    });
    return items;
  }

  return {
    async lookup(query, nowSeconds) {
      const jtiKey = revokedTokenKey(query.jti);
      const profileKey = userKey(query.userId);
      const familyKey = query.familyId ? refreshFamilyKey(query.familyId) : undefined;
      // A service token's parent rides in the same request: still one round trip on first sight.
      const parentJtiKey = query.parentJti ? revokedTokenKey(query.parentJti) : undefined;
      const parentApiTokenKey = query.parentApiTokenId ? apiTokenKey(query.userId, query.parentApiTokenId) : undefined;
      const wanted = [jtiKey, profileKey, familyKey, parentJtiKey, parentApiTokenKey].filter((key) => key !== undefined);
      // Two tokens may share a jti value; a key is asked for once.
      const keys = wanted.filter((key, i) => wanted.findIndex((other) => sameKey(other, key)) === i);
      const items = await batchGet(keys);
      // pk alone is not enough: an API token lives in its owner's partition, beside the profile.
      const find = (key: { pk: string; sk: string } | undefined) => (key ? items.find((item) => sameKey(item, key)) : undefined);
      const live = (item: Record<string, unknown> | undefined) => item !== undefined && !(typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds);
      const userItem = find(profileKey);
      const familyItem = find(familyKey);
      const parentApiTokenItem = find(parentApiTokenKey);
      return {
        jtiRevoked: live(find(jtiKey)),
        // A session that has expired or vanished is as over as a revoked one.
        familyRevoked: familyKey !== undefined && (!live(familyItem) || familyItem?.revoked === true),
        user: userItem ? userFromItem(userItem) : undefined,
        ...(parentJtiKey ? { parentJtiRevoked: live(find(parentJtiKey)) } : {}),
        ...(parentApiTokenKey ? { parentApiToken: parentApiTokenItem ? apiTokenFromItem(parentApiTokenItem) : undefined } : {}),
      };
    },
  };
}

function sameKey(a: Record<string, unknown>, b: { pk: string; sk: string }): boolean {
  return a.pk === b.pk && a.sk === b.sk;
}

/** An API token's record and owner, and the record of its use. */
export function apiTokenReads(reader: DynamoDbReader, tableName: string): ApiTokenReads {
  return {
    async lookupWithOwner(userId, tokenId) {
      const { Responses } = await reader.batchGet({
        RequestItems: { [tableName]: { Keys: [userKey(userId), apiTokenKey(userId, tokenId)], ConsistentRead: true } },
      });
      const items = Responses?.[tableName] ?? [];
      const profile = items.find((item) => item.sk === userKey(userId).sk);
      const token = items.find((item) => item.sk === apiTokenKey(userId, tokenId).sk);
      return { ...(token ? { record: apiTokenFromItem(token) } : {}), ...(profile ? { user: userFromItem(profile) } : {}) };
    },

    async touch(userId, tokenId, now, minIntervalMs) {
      // A failed condition: a use was recorded moments ago (or the token is gone). Nothing to do.
      await conditionalWrite(
        reader.update({
          TableName: tableName,
          Key: apiTokenKey(userId, tokenId),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt <= :cutoff)',
          ExpressionAttributeValues: { ':now': now, ':cutoff': now - minIntervalMs },
        }),
      );
    },
  };
}

/**
 * The public attributes of the signing key partition: the pointer's kids and each key's public
 * parts. A verifier never reads the sealed private halves (encryptedPrivateJwk, wrappedDataKey):
 * they are left out of every answer, not just ignored.
 */
const PUBLIC_KEY_PROJECTION = {
  ProjectionExpression: 'pk, sk, kid, nextKid, alg, publicJwk, createdAt, #status, expiresAt',
  ExpressionAttributeNames: { '#status': 'status' },
};

/** The signing key set, public parts only: the CURRENT pointer and every key, one consistent Query of their partition. */
export function signingKeyReads(reader: DynamoDbReader, tableName: string): SigningKeyReads {
  return {
    async load() {
      const set: KeySet = { currentKid: undefined, nextKid: undefined, keys: [] };
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await reader.query({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': SIGNING_KEYS_PK },
          ...PUBLIC_KEY_PROJECTION,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        });
        for (const item of page.Items ?? []) {
          if (item.sk === currentKeyPointer.sk) {
            set.currentKid = item.kid as string;
            set.nextKid = item.nextKid as string | undefined;
          } else {
            const { pk: _pk, sk: _sk, ...key } = item;
            set.keys.push(key as PublicKeyRecord);
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return set;
    },
  };
}
