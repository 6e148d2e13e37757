// Signing keys: one partition holding a CURRENT pointer (the key that signs, and the next key,
// already published so JWKS caches know it before it signs anything) and every key (public JWK,
// sealed private JWK and its wrapped data key). Creating the first keys and rotating are
// conditional transactions, so concurrent cold starts or two rotations can never leave two current
// keys. Verifiers read the public parts only (./token-reads.ts); the sealed halves are read one key
// at a time, by the signer, and all at once only by `keys migrate`.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SealedPrivateKey, SigningKeyStore, StoredKey } from '../domain/signing-key.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { documentClientReader } from './document-client-reader.ts';
import { currentKeyPointer, SIGNING_KEYS_PK, signingKeyKey } from './keys.ts';
import { signingKeyReads } from './token-reads.ts';
import { transactIfConditionsHold } from './transact.ts';

export function signingKeyStore(db: Db, tableName: string): SigningKeyStore {
  const put = (key: StoredKey) => ({
    Put: {
      TableName: tableName,
      Item: { ...signingKeyKey(key.kid), type: 'signingKey', ...key },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const setStatus = (kid: string, status: StoredKey['status'], expiresAt?: number) => ({
    Update: {
      TableName: tableName,
      Key: signingKeyKey(kid),
      UpdateExpression: expiresAt === undefined ? 'SET #status = :status' : 'SET #status = :status, expiresAt = :until',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: expiresAt === undefined ? { ':status': status } : { ':status': status, ':until': expiresAt },
    },
  });

  return {
    ...signingKeyReads(documentClientReader(db), tableName),

    async sealedPrivateKey(kid) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: signingKeyKey(kid), ConsistentRead: true, ProjectionExpression: 'encryptedPrivateJwk, wrappedDataKey' }),
      );
      return Item as SealedPrivateKey | undefined;
    },

    async loadSealed() {
      const keys: StoredKey[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
            ExpressionAttributeValues: { ':pk': SIGNING_KEYS_PK, ':key': 'KEY#' },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const { pk: _pk, sk: _sk, type: _type, ...key } of page.Items ?? []) keys.push(key as StoredKey);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return keys;
    },

    createFirst(current, next) {
      return transactIfConditionsHold(db, [
        {
          Put: {
            TableName: tableName,
            Item: { ...currentKeyPointer, type: 'keyPointer', kid: current.kid, nextKid: next.kid },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        put(current),
        put(next),
      ]);
    },

    rotate(previousKid, promotedKid, newNext, retireUntil) {
      return transactIfConditionsHold(db, [
        {
          Update: {
            TableName: tableName,
            Key: currentKeyPointer,
            UpdateExpression: 'SET kid = :promoted, nextKid = :newNext',
            ConditionExpression: 'kid = :previous AND nextKid = :promoted',
            ExpressionAttributeValues: { ':promoted': promotedKid, ':newNext': newNext.kid, ':previous': previousKid },
          },
        },
        put(newNext),
        setStatus(promotedKid, 'current'),
        setStatus(previousKid, 'retired', retireUntil),
      ]);
    },

    reseal(kid, expected, sealed) {
      // One write per key, and only over the ciphertext it was read with: an interrupted or
      // concurrent migration can never lose a key or wrap one twice.
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: signingKeyKey(kid),
            UpdateExpression: 'SET encryptedPrivateJwk = :sealed, wrappedDataKey = :wrapped',
            ConditionExpression: 'encryptedPrivateJwk = :expected',
            ExpressionAttributeValues: { ':sealed': sealed.encryptedPrivateJwk, ':wrapped': sealed.wrappedDataKey, ':expected': expected },
          }),
        ),
      );
    },
  };
}
