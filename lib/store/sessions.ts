// Login sessions: a refresh-token family per login and its current refresh token, stored only as
// a SHA-256 hash. Both are written in one transaction so a session never exists half-made.
import type { Db } from './client.ts';
import { transactWrite } from './transact.ts';
import { refreshFamilyKey, refreshTokenKey, userListing } from './keys.ts';

export interface NewSession {
  familyId: string;
  userId: string;
  refreshTokenHash: string;
  /** Epoch seconds: the family and its token expire together (DynamoDB TTL attribute). */
  expiresAt: number;
  createdAt: string;
}

export interface SessionStore {
  create(session: NewSession): Promise<void>;
}

export function sessionStore(db: Db, tableName: string): SessionStore {
  return {
    async create(session) {
      await transactWrite(db, {
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...refreshFamilyKey(session.familyId),
                  type: 'refreshFamily',
                  // Listed per user (for "end all sessions" and the admin CLI) through gsi1.
                  gsi1pk: userListing(session.userId),
                  gsi1sk: `SESSION#${session.createdAt}#${session.familyId}`,
                  userId: session.userId,
                  revoked: false,
                  createdAt: session.createdAt,
                  expiresAt: session.expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...refreshTokenKey(session.refreshTokenHash),
                  type: 'refreshToken',
                  familyId: session.familyId,
                  userId: session.userId,
                  used: false,
                  createdAt: session.createdAt,
                  expiresAt: session.expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        });
    },
  };
}
