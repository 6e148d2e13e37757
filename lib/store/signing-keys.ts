// Signing keys: one partition holding a CURRENT pointer (the key that signs, and the next key,
// already published so JWKS caches know it before it signs anything) and every key (public JWK,
// encrypted private JWK). Creating the first keys and rotating are conditional transactions, so
// concurrent cold starts or two rotations can never leave two current keys.
import type { SigningKeyStore, StoredKey } from '../domain/signing-key.ts';
import type { Db } from './client.ts';
import { documentClientReader } from './document-client-reader.ts';
import { currentKeyPointer, signingKeyKey } from './keys.ts';
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
  };
}
