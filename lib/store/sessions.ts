// Login sessions (RFC 9700 §4.14.2): a refresh-token family per login, and its refresh tokens,
// stored only as SHA-256 hashes. Single use is enforced by DynamoDB itself: a rotation marks the
// presented token used on the condition that it was unused, in the same transaction that writes
// its successor, so of any number of concurrent rotations exactly one succeeds. A replay within
// the grace period spends that successor in the transaction that writes the next one, so a
// family never holds more than one live refresh token.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Authentication } from '../domain/authentication.ts';
import type { ClientGrant, Family, NewSession, Rotation, RotationOutcome, SessionOrigin, SessionStore, StoredRefreshToken } from '../domain/session.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { ownedItemListing, refreshFamilyKey, refreshTokenKey, userListing } from './keys.ts';
import { queryAll } from './query-all.ts';
import { conditionalTransaction, type TransactItems, transactWrite } from './transact.ts';

function toRefreshToken(item: Record<string, unknown>): StoredRefreshToken {
  return {
    tokenHash: String(item.pk).slice('REFRESH#'.length),
    familyId: item.familyId as string,
    userId: item.userId as string,
    used: item.used === true,
    ...(typeof item.usedAt === 'number' ? { usedAt: item.usedAt } : {}),
    ...(typeof item.replacedBy === 'string' ? { replacedBy: item.replacedBy } : {}),
    expiresAt: item.expiresAt as number,
  };
}

function toFamily(item: Record<string, unknown>): Family {
  return {
    familyId: String(item.pk).slice('FAMILY#'.length),
    userId: item.userId as string,
    revoked: item.revoked === true,
    createdAt: item.createdAt as number,
    expiresAt: item.expiresAt as number,
    ...(typeof item.lastRefreshedAt === 'number' ? { lastRefreshedAt: item.lastRefreshedAt } : {}),
    ...(typeof item.revokedAt === 'number' ? { revokedAt: item.revokedAt } : {}),
    ...(typeof item.revokedReason === 'string' ? { revokedReason: item.revokedReason } : {}),
    ...(item.grant ? { grant: toGrant(item.grant)! } : {}),
    ...(item.authentication ? { authentication: toAuthentication(item.authentication) } : {}),
    ...(item.origin && typeof item.origin === 'object' ? { origin: item.origin as SessionOrigin } : {}),
  };
}

function toAuthentication(value: unknown): Authentication {
  const stored = value as Record<string, unknown>;
  const amr = Array.isArray(stored.amr) ? (stored.amr as string[]) : [];
  return { authTime: stored.authTime as number, amr, acr: stored.acr === 'aal2' ? 'aal2' : 'aal1' };
}

const SESSION_LISTING_PREFIX = 'SESSION#';

/**
 * The writes that start a session: its family and, when it has one, its first refresh token. Also
 * written by an authorization code's redemption, in the transaction that spends the code
 * (lib/store/authorization-codes.ts).
 */
export function newSessionItems(tableName: string, session: NewSession): TransactItems {
  const items: TransactItems = [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...refreshFamilyKey(session.familyId),
          type: 'refreshFamily',
          // Listed per user (sessions overview, admin tooling) through gsi1.
          gsi1pk: userListing(session.userId),
          gsi1sk: `${SESSION_LISTING_PREFIX}${new Date(session.createdAt).toISOString()}#${session.familyId}`,
          userId: session.userId,
          revoked: false,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          ...(session.grant ? { grant: session.grant } : {}),
          ...(session.authentication ? { authentication: session.authentication } : {}),
          ...(session.origin ? { origin: session.origin } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (session.refreshTokenHash !== undefined) {
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          ...refreshTokenKey(session.refreshTokenHash),
          // Found and deleted with the account (lib/store/account-deletions.ts).
          ...ownedItemListing(session.userId, 'REFRESH', session.refreshTokenHash),
          type: 'refreshToken',
          familyId: session.familyId,
          userId: session.userId,
          used: false,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  return items;
}

function toGrant(value: unknown): ClientGrant | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const grant = value as Record<string, unknown>;
  return {
    clientId: grant.clientId as string,
    scopes: (grant.scopes as string[]) ?? [],
    authTime: grant.authTime as number,
    amr: (grant.amr as string[]) ?? [],
    ...(typeof grant.acr === 'string' ? { acr: grant.acr } : {}),
    ...(typeof grant.browserSessionId === 'string' ? { browserSessionId: grant.browserSessionId } : {}),
  };
}

export function sessionStore(db: Db, tableName: string): SessionStore {
  const newTokenItem = (hash: string, old: StoredRefreshToken, rotation: Rotation) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...refreshTokenKey(hash),
        ...ownedItemListing(old.userId, 'REFRESH', hash),
        type: 'refreshToken',
        familyId: old.familyId,
        userId: old.userId,
        used: false,
        createdAt: rotation.now,
        expiresAt: rotation.expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  /** The family lives as long as its newest token; a revoked family cannot be extended. */
  const extendFamily = (rotation: Rotation) => ({
    Update: {
      TableName: tableName,
      Key: refreshFamilyKey(rotation.old.familyId),
      UpdateExpression: 'SET expiresAt = :expiresAt, lastRefreshedAt = :now',
      ConditionExpression: 'revoked = :false',
      ExpressionAttributeValues: { ':expiresAt': rotation.expiresAt, ':now': rotation.now, ':false': false },
    },
  });

  /** Runs a rotation; a failed condition on one of `tokenIndexes` means `used`, anywhere else `revoked`. */
  async function rotationTransaction(items: TransactItems, tokenIndexes: number[]): Promise<RotationOutcome> {
    const failed = await conditionalTransaction(db, items);
    if (!failed.length) return 'rotated';
    return failed.some((index) => tokenIndexes.includes(index)) ? 'used' : 'revoked';
  }

  return {
    async create(session) {
      await transactWrite(db, newSessionItems(tableName, session));
    },

    async findRefreshToken(tokenHash) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: refreshTokenKey(tokenHash), ConsistentRead: true }));
      return Item?.type === 'refreshToken' ? toRefreshToken(Item) : undefined;
    },

    async getFamily(familyId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: refreshFamilyKey(familyId), ConsistentRead: true }));
      return Item?.type === 'refreshFamily' ? toFamily(Item) : undefined;
    },

    async rotate(rotation) {
      return rotationTransaction(
        [
          {
            Update: {
              TableName: tableName,
              Key: refreshTokenKey(rotation.old.tokenHash),
              UpdateExpression: 'SET used = :true, usedAt = :now, replacedBy = :next',
              ConditionExpression: 'used = :false',
              ExpressionAttributeValues: { ':true': true, ':false': false, ':now': rotation.now, ':next': rotation.newTokenHash },
            },
          },
          extendFamily(rotation),
          newTokenItem(rotation.newTokenHash, rotation.old, rotation),
        ],
        [0],
      );
    },

    async replaceSuccessor(rotation) {
      const successor = rotation.old.replacedBy;
      if (successor === undefined) return 'used';
      const failed = await conditionalTransaction(db, [
        {
          // Still pointing at the successor read: another replay has not moved it on meanwhile.
          Update: {
            TableName: tableName,
            Key: refreshTokenKey(rotation.old.tokenHash),
            UpdateExpression: 'SET replacedBy = :next',
            ConditionExpression: 'used = :true AND replacedBy = :successor',
            ExpressionAttributeValues: { ':true': true, ':successor': successor, ':next': rotation.newTokenHash },
          },
        },
        {
          // The successor is spent here, so only the new token is live; if its holder has used it
          // already, the family has moved on without this client: that is reuse.
          Update: {
            TableName: tableName,
            Key: refreshTokenKey(successor),
            UpdateExpression: 'SET used = :true, usedAt = :now, replacedBy = :next',
            ConditionExpression: 'used = :false AND familyId = :family',
            ExpressionAttributeValues: {
              ':true': true,
              ':false': false,
              ':now': rotation.now,
              ':next': rotation.newTokenHash,
              ':family': rotation.old.familyId,
            },
          },
        },
        extendFamily(rotation),
        newTokenItem(rotation.newTokenHash, rotation.old, rotation),
      ]);
      if (!failed.length) return 'rotated';
      return failed.includes(0) ? 'raced' : failed.includes(1) ? 'used' : 'revoked';
    },

    async revokeFamily(familyId, reason, now) {
      // A failed condition: an unknown family (expired and deleted by TTL) has nothing left to revoke.
      await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: refreshFamilyKey(familyId),
            UpdateExpression: 'SET revoked = :true, revokedAt = if_not_exists(revokedAt, :now), revokedReason = if_not_exists(revokedReason, :reason)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':true': true, ':now': now, ':reason': reason },
          }),
        ),
      );
    },

    async listFamilies(userId) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': userListing(userId), ':prefix': SESSION_LISTING_PREFIX },
        ScanIndexForward: false,
      });
      return items.filter((item) => item.type === 'refreshFamily').map(toFamily);
    },
  };
}
