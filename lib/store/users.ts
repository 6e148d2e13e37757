// Users and their unique username/email claims. Uniqueness is enforced by DynamoDB itself: the
// profile and both claims are written in one transaction, each conditional on not existing yet.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, type FieldError } from '../domain/errors.ts';
import type { User, UserStore } from '../domain/user.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { emailClaimKeys, lookupKeys, migrateIdentifierClaims, usernameClaimKeys } from './identifier-claims.ts';
import { externalIdKey, userKey } from './keys.ts';
import { RETRY_POLICIES, tryAgain, withRetries } from './retry-policy.ts';
import { securityEventPut } from './security-events.ts';
import { conditionalTransaction, transactIfConditionsHold } from './transact.ts';
import { fitsAsKey, userCreationItems } from './user-creation.ts';
import { userFromItem } from './user-item.ts';

export function userStore(db: Db, tableName: string): UserStore {
  async function claimedUserId(key: { pk: string; sk: string }): Promise<string | undefined> {
    // No claim can have a key DynamoDB would not store, so there is nothing to read.
    if (!fitsAsKey(key)) return undefined;
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item?.userId as string | undefined;
  }

  /** The first of `keys` that is claimed, in order (./identifier-claims.ts: old-form key first). */
  async function claimedBy(keys: { pk: string; sk: string }[]): Promise<string | undefined> {
    for (const key of keys) {
      const userId = await claimedUserId(key);
      if (userId) return userId;
    }
    return undefined;
  }

  async function get(userId: string): Promise<User | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: userKey(userId), ConsistentRead: true }));
    return Item ? userFromItem(Item) : undefined;
  }

  return {
    async create(user) {
      const items = userCreationItems(tableName, user);
      const failed = (
        await conditionalTransaction(
          db,
          items.map((entry) => entry.item),
        )
      ).map((index) => items[index]!.means);
      if (!failed.length) return;
      if (failed.length === 1 && failed[0] === 'number') throw new Error(`The user-number counter is behind: ${user.number} is already held`);
      const usernameTaken = failed.includes('username');
      const emailTaken = failed.includes('email');
      const errors: FieldError[] = [];
      if (failed.includes('id')) errors.push({ field: 'id', message: 'An account with this id already exists.' });
      if (usernameTaken) errors.push({ field: 'username', message: 'This username is already taken.' });
      if (emailTaken) errors.push({ field: 'email', message: 'An account with this email already exists.' });
      throw new ConflictError(errors, errors.length ? errors.map((e) => e.message).join(' ') : 'Already taken.');
    },

    async reserveUsername(username, userId) {
      // A claim like the one create() writes, for an account that never comes to exist (see UserStore).
      const key = usernameClaimKeys(username).claim;
      if (!fitsAsKey(key)) return false;
      return conditionalWrite(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, type: 'claim', userId, reserved: true },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    get,

    async findByLogin(login) {
      // A username may itself contain "@", so an address-like login falls back to the username claim.
      const byEmail = login.includes('@') ? await claimedBy(lookupKeys(emailClaimKeys(login))) : undefined;
      const userId = byEmail ?? (await claimedBy(lookupKeys(usernameClaimKeys(login))));
      return userId ? get(userId) : undefined;
    },

    async findByExternalId(externalId) {
      const userId = await claimedUserId(externalIdKey(externalId));
      return userId ? get(userId) : undefined;
    },

    async findByEmail(email) {
      const userId = await claimedBy(lookupKeys(emailClaimKeys(email)));
      return userId ? get(userId) : undefined;
    },

    claimVerificationMail(userId, now, minIntervalMs) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET verifyMailSentAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(verifyMailSentAt) OR verifyMailSentAt <= :cutoff)',
            ExpressionAttributeValues: { ':now': now, ':cutoff': now - minIntervalMs },
          }),
        ),
      );
    },

    async releaseVerificationMail(userId, claimedAt) {
      // A newer claim (or none) is left alone.
      await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE verifyMailSentAt',
            ConditionExpression: 'verifyMailSentAt = :claimedAt',
            ExpressionAttributeValues: { ':claimedAt': claimedAt },
          }),
        ),
      );
    },

    replacePasswordHash(userId, expectedHash, newHash) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET passwordHash = :new',
            ConditionExpression: 'passwordHash = :old',
            ExpressionAttributeValues: { ':new': newHash, ':old': expectedHash },
          }),
        ),
      );
    },

    async changePassword({ userId, expectedHash, newHash, now, endSessions, event }) {
      const ends = endSessions !== undefined;
      const kept = endSessions?.keptSessionId;
      // validAfterMs never moves backwards; +1 ms as a reset does: a token of this millisecond is before it.
      const set = ['passwordHash = :new', 'updatedAt = :iso', 'resetGeneration = if_not_exists(resetGeneration, :zero) + :one'];
      const remove = ['resetTokenHash'];
      if (ends) set.push('validAfterMs = :after');
      if (ends && kept) set.push('keptSessionId = :kept');
      if (ends && !kept) remove.push('keptSessionId');
      return transactIfConditionsHold(db, [
        {
          Update: {
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
            ConditionExpression: `passwordHash = :old AND #status = :active${ends ? ' AND (attribute_not_exists(validAfterMs) OR validAfterMs < :after)' : ''}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':new': newHash,
              ':old': expectedHash,
              ':iso': new Date(now).toISOString(),
              ':zero': 0,
              ':one': 1,
              ':active': 'active',
              ...(ends ? { ':after': now + 1 } : {}),
              ...(ends && kept ? { ':kept': kept } : {}),
            },
          },
        },
        securityEventPut(tableName, event),
      ]);
    },

    async invalidateTokensBefore(userId, nowMs) {
      // Everywhere means everywhere: the session a password change spared (keptSessionId) ends too.
      const moved = await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            // Never moves backwards, whatever order concurrent calls land in.
            UpdateExpression: 'SET validAfterMs = :now REMOVE keptSessionId',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(validAfterMs) OR validAfterMs < :now)',
            ExpressionAttributeValues: { ':now': nowMs },
          }),
        ),
      );
      if (moved) return;
      // A later time is already set (or no user): it covers now, but may have spared a session.
      await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE keptSessionId',
            ConditionExpression: 'attribute_exists(keptSessionId)',
          }),
        ),
      );
    },

    disable(userId, nowMs) {
      return withRetries(RETRY_POLICIES.optimistic, async () => {
        const user = await get(userId);
        if (!user || user.status === 'deleted') return false;
        // Never backwards: a later "valid after" (another machine's clock) already covers now.
        const after = Math.max(nowMs, user.validAfterMs ?? 0, user.apiTokensValidAfterMs ?? 0);
        const unchanged = (name: string, seen: number | undefined) => (seen === undefined ? `attribute_not_exists(${name})` : `${name} = :seen_${name}`);
        const written = await conditionalWrite(
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: userKey(userId),
              UpdateExpression: 'SET #status = :disabled, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso REMOVE keptSessionId',
              // A deleted account (lib/use-cases/account-deletion.ts) stays deleted.
              ConditionExpression: `attribute_exists(pk) AND #status <> :deleted AND ${unchanged('validAfterMs', user.validAfterMs)} AND ${unchanged('apiTokensValidAfterMs', user.apiTokensValidAfterMs)}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':disabled': 'disabled',
                ':deleted': 'deleted',
                ':after': after,
                ':iso': new Date(nowMs).toISOString(),
                ...(user.validAfterMs === undefined ? {} : { ':seen_validAfterMs': user.validAfterMs }),
                ...(user.apiTokensValidAfterMs === undefined ? {} : { ':seen_apiTokensValidAfterMs': user.apiTokensValidAfterMs }),
              },
            }),
          ),
        );
        return written || tryAgain(new Error('The user kept changing while being disabled'));
      });
    },

    enable(userId, nowMs) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET #status = :active, updatedAt = :iso',
            // A deleted account is never brought back.
            ConditionExpression: 'attribute_exists(pk) AND #status <> :deleted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active', ':deleted': 'deleted', ':iso': new Date(nowMs).toISOString() },
          }),
        ),
      );
    },

    addPermission(userId, permission, nowMs) {
      return conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET #permissions = list_append(if_not_exists(#permissions, :none), :added), updatedAt = :iso',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#permissions) OR NOT contains(#permissions, :permission))',
            ExpressionAttributeNames: { '#permissions': 'permissions' },
            ExpressionAttributeValues: { ':none': [], ':added': [permission], ':permission': permission, ':iso': new Date(nowMs).toISOString() },
          }),
        ),
      );
    },

    removePermission(userId, permission, nowMs) {
      // A list element is removed by its index, so the write is conditional on that element still
      // being this permission; a concurrent change makes us read again.
      return withRetries(RETRY_POLICIES.optimistic, async () => {
        const index = (await get(userId))?.permissions?.indexOf(permission) ?? -1;
        if (index < 0) return false;
        const written = await conditionalWrite(
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: userKey(userId),
              // The index is a number we computed, never input.
              UpdateExpression: `REMOVE #permissions[${index}] SET updatedAt = :iso`,
              ConditionExpression: `#permissions[${index}] = :permission`,
              ExpressionAttributeNames: { '#permissions': 'permissions' },
              ExpressionAttributeValues: { ':permission': permission, ':iso': new Date(nowMs).toISOString() },
            }),
          ),
        );
        return written || tryAgain(new Error('The permissions kept changing while being revoked'));
      });
    },

    migrateIdentifierClaims: () => migrateIdentifierClaims(db, tableName),
  };
}
