// What the table says about a token right now: is its jti on the revocation list, is its session
// (refresh family) revoked, and what is its user's state. One consistent BatchGetItem answers all
// three, so checking a token costs a single round trip (./token-reads.ts, shared with the authorizer).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RevocationStore } from '../domain/revocation.ts';
import type { Db } from './client.ts';
import { documentClientReader } from './document-client-reader.ts';
import { revokedTokenKey } from './keys.ts';
import { tokenStateReads } from './token-reads.ts';

export function revocationStore(db: Db, tableName: string): RevocationStore {
  return {
    ...tokenStateReads(documentClientReader(db), tableName),

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
