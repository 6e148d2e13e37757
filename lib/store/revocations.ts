// What the table says about a token right now: is its jti on the revocation list, is its session
// (refresh family) revoked, and what is its user's state. One consistent BatchGetItem answers all
// three, so checking a token costs a single round trip (./token-reads.ts, shared with the authorizer).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client.ts';
import { documentClientReader } from './document-client-reader.ts';
import { revokedTokenKey } from './keys.ts';
import { tokenStateReads } from './token-reads.ts';
import type { User } from './users.ts';

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
