// Users and their unique username/email claims. Uniqueness is enforced by DynamoDB itself: the
// profile and both claims are written in one transaction, each conditional on not existing yet.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfileField } from '../domain/profile.ts';
import { ConflictError, ValidationError, type FieldError } from '../domain/errors.ts';
import { normaliseEmail, normaliseUsername } from '../domain/identity.ts';
import type { Db } from './client.ts';
import { transactWrite } from './transact.ts';
import { failedConditions, isConditionalCheckFailed } from './errors.ts';
import { emailKey, userKey, usernameKey } from './keys.ts';
import { userFromItem } from './user-item.ts';

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  profile: Partial<Record<ProfileField, string>>;
  /** Free-form extra registration data some clients send (miniSASS's additional_fields). */
  additionalFields?: string | Record<string, string>;
  passwordHash: string;
  status: UserStatus;
  permissions: string[];
  /**
   * Epoch milliseconds: sessions started and tokens issued before it are refused ("log out
   * everywhere", and later password reset). Tokens issued afterwards get an iat at or after it.
   */
  validAfterMs?: number;
  /** Epoch milliseconds: API tokens created before it are refused (set by a password reset). */
  apiTokensValidAfterMs?: number;
  /** The hash of the newest password-reset token; older ones are void. */
  resetTokenHash?: string;
  /** Epoch milliseconds of the last verification mail, for rate limiting resends. */
  verifyMailSentAt?: number;
  createdAt: string;
  updatedAt: string;
}

export interface UserStore {
  create(user: User): Promise<void>;
  get(userId: string): Promise<User | undefined>;
  findByLogin(login: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /**
   * Records that a verification mail is being sent, unless one was sent less than
   * `minIntervalMs` ago; false means "too soon".
   */
  claimVerificationMail(userId: string, now: number, minIntervalMs: number): Promise<boolean>;
  /** Gives back the claim made at `claimedAt` (the mail could not be sent); a newer claim stays. */
  releaseVerificationMail(userId: string, claimedAt: number): Promise<void>;
  replacePasswordHash(userId: string, expectedHash: string, newHash: string): Promise<boolean>;
  /** Sets the user's "valid after" time: every earlier session and token stops working. */
  invalidateTokensBefore(userId: string, nowMs: number): Promise<void>;
  /**
   * Disables the account and ends everything it holds, in one write: status 'disabled', and
   * validAfterMs and apiTokensValidAfterMs moved to `nowMs` (never backwards), so sessions, access
   * tokens and API tokens stay dead even after enable(). False when there is no such user.
   */
  disable(userId: string, nowMs: number): Promise<boolean>;
  /** Lets the account log in again; what disable() ended stays ended. False when there is no such user. */
  enable(userId: string, nowMs: number): Promise<boolean>;
  /** Adds a permission; false when the user already has it (or does not exist). */
  addPermission(userId: string, permission: string, nowMs: number): Promise<boolean>;
  /** Removes a permission; false when the user does not have it (or does not exist). */
  removePermission(userId: string, permission: string, nowMs: number): Promise<boolean>;
}

/** Read-then-conditional-write operations retry this often when a concurrent write got in between. */
const OPTIMISTIC_ATTEMPTS = 5;

function toItem(user: User) {
  return { ...userKey(user.id), type: 'user', ...user };
}

// In its own SDK-free file, because the authorizer's light client reads users too.
export { userFromItem };

/** DynamoDB's limit for a partition key; a longer one is refused with an error, not "not found". */
const MAX_PARTITION_KEY_BYTES = 2048;
const fitsAsKey = (key: { pk: string }) => Buffer.byteLength(key.pk, 'utf8') <= MAX_PARTITION_KEY_BYTES;

export function userStore(db: Db, tableName: string): UserStore {
  async function claimedUserId(key: { pk: string; sk: string }): Promise<string | undefined> {
    // No claim can have a key DynamoDB would not store, so there is nothing to read.
    if (!fitsAsKey(key)) return undefined;
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item?.userId as string | undefined;
  }

  async function get(userId: string): Promise<User | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: userKey(userId), ConsistentRead: true }));
    return Item ? userFromItem(Item) : undefined;
  }

  return {
    async create(user) {
      const claim = (key: { pk: string; sk: string }) => ({
        Put: {
          TableName: tableName,
          Item: { ...key, type: 'claim', userId: user.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      const usernameClaim = usernameKey(normaliseUsername(user.username));
      const emailClaim = emailKey(normaliseEmail(user.email));
      // NFKC can multiply a name (U+FDFA is 18 characters): refuse what cannot be a key, by name.
      const tooLong: FieldError[] = [];
      if (!fitsAsKey(usernameClaim)) tooLong.push({ field: 'username', message: 'This is too long once normalised; use fewer or simpler characters.' });
      if (!fitsAsKey(emailClaim)) tooLong.push({ field: 'email', message: 'This is too long once normalised; use fewer or simpler characters.' });
      if (tooLong.length) throw new ValidationError(tooLong);
      try {
        await transactWrite(db, {
            TransactItems: [
              claim(usernameClaim),
              claim(emailClaim),
              { Put: { TableName: tableName, Item: toItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          });
      } catch (error) {
        const failed = failedConditions(error);
        if (!failed) throw error;
        const errors: FieldError[] = [];
        if (failed.includes(0)) errors.push({ field: 'username', message: 'This username is already taken.' });
        if (failed.includes(1)) errors.push({ field: 'email', message: 'An account with this email already exists.' });
        throw new ConflictError(errors, errors.length ? errors.map((e) => e.message).join(' ') : 'Already taken.');
      }
    },

    get,

    async findByLogin(login) {
      // A username may itself contain "@", so an address-like login falls back to the username claim.
      const byEmail = login.includes('@') ? await claimedUserId(emailKey(normaliseEmail(login))) : undefined;
      const userId = byEmail ?? (await claimedUserId(usernameKey(normaliseUsername(login))));
      return userId ? get(userId) : undefined;
    },

    async findByEmail(email) {
      const userId = await claimedUserId(emailKey(normaliseEmail(email)));
      return userId ? get(userId) : undefined;
    },

    async claimVerificationMail(userId, now, minIntervalMs) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET verifyMailSentAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(verifyMailSentAt) OR verifyMailSentAt <= :cutoff)',
            ExpressionAttributeValues: { ':now': now, ':cutoff': now - minIntervalMs },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async releaseVerificationMail(userId, claimedAt) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'REMOVE verifyMailSentAt',
            ConditionExpression: 'verifyMailSentAt = :claimedAt',
            ExpressionAttributeValues: { ':claimedAt': claimedAt },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },

    async replacePasswordHash(userId, expectedHash, newHash) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET passwordHash = :new',
            ConditionExpression: 'passwordHash = :old',
            ExpressionAttributeValues: { ':new': newHash, ':old': expectedHash },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async invalidateTokensBefore(userId, nowMs) {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: userKey(userId),
          // Never moves backwards, whatever order concurrent calls land in.
          UpdateExpression: 'SET validAfterMs = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(validAfterMs) OR validAfterMs < :now)',
          ExpressionAttributeValues: { ':now': nowMs },
        }),
      ).catch((error: unknown) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
    },

    async disable(userId, nowMs) {
      for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt += 1) {
        const user = await get(userId);
        if (!user) return false;
        // Never backwards: a later "valid after" (another machine's clock) already covers now.
        const after = Math.max(nowMs, user.validAfterMs ?? 0, user.apiTokensValidAfterMs ?? 0);
        const unchanged = (name: string, seen: number | undefined) =>
          seen === undefined ? `attribute_not_exists(${name})` : `${name} = :seen_${name}`;
        try {
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: userKey(userId),
              UpdateExpression: 'SET #status = :disabled, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso',
              ConditionExpression: `attribute_exists(pk) AND ${unchanged('validAfterMs', user.validAfterMs)} AND ${unchanged('apiTokensValidAfterMs', user.apiTokensValidAfterMs)}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':disabled': 'disabled',
                ':after': after,
                ':iso': new Date(nowMs).toISOString(),
                ...(user.validAfterMs === undefined ? {} : { ':seen_validAfterMs': user.validAfterMs }),
                ...(user.apiTokensValidAfterMs === undefined ? {} : { ':seen_apiTokensValidAfterMs': user.apiTokensValidAfterMs }),
              },
            }),
          );
          return true;
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }
      throw new Error('The user kept changing while being disabled; run it again');
    },

    async enable(userId, nowMs) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET #status = :active, updatedAt = :iso',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active', ':iso': new Date(nowMs).toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async addPermission(userId, permission, nowMs) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userKey(userId),
            UpdateExpression: 'SET #permissions = list_append(if_not_exists(#permissions, :none), :added), updatedAt = :iso',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#permissions) OR NOT contains(#permissions, :permission))',
            ExpressionAttributeNames: { '#permissions': 'permissions' },
            ExpressionAttributeValues: { ':none': [], ':added': [permission], ':permission': permission, ':iso': new Date(nowMs).toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async removePermission(userId, permission, nowMs) {
      // A list element is removed by its index, so the write is conditional on that element still
      // being this permission; a concurrent change makes us read again.
      for (let attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt += 1) {
        const index = (await get(userId))?.permissions?.indexOf(permission) ?? -1;
        if (index < 0) return false;
        try {
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: userKey(userId),
              // The index is a number we computed, never input.
              UpdateExpression: `REMOVE #permissions[${index}] SET updatedAt = :iso`,
              ConditionExpression: `#permissions[${index}] = :permission`,
              ExpressionAttributeNames: { '#permissions': 'permissions' },
              ExpressionAttributeValues: { ':permission': permission, ':iso': new Date(nowMs).toISOString() },
            }),
          );
          return true;
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }
      throw new Error('The permissions kept changing while being revoked; run it again');
    },
  };
}
