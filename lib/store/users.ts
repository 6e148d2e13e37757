// Users and their unique username/email claims. Uniqueness is enforced by DynamoDB itself: the
// profile and both claims are written in one transaction, each conditional on not existing yet.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfileField } from '../config.ts';
import { ConflictError, type FieldError } from '../errors.ts';
import { normaliseEmail, normaliseUsername } from '../identity.ts';
import type { Db } from './client.ts';
import { transactWrite } from './transact.ts';
import { failedConditions, isConditionalCheckFailed } from './errors.ts';
import { emailKey, userKey, usernameKey } from './keys.ts';

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
  replacePasswordHash(userId: string, expectedHash: string, newHash: string): Promise<boolean>;
  /** Sets the user's "valid after" time: every earlier session and token stops working. */
  invalidateTokensBefore(userId: string, nowMs: number): Promise<void>;
}

function toItem(user: User) {
  return { ...userKey(user.id), type: 'user', ...user };
}

export function userFromItem(item: Record<string, unknown>): User {
  const { pk: _pk, sk: _sk, type: _type, ...user } = item;
  return user as unknown as User;
}

export function userStore(db: Db, tableName: string): UserStore {
  async function claimedUserId(key: { pk: string; sk: string }): Promise<string | undefined> {
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
      try {
        await transactWrite(db, {
            TransactItems: [
              claim(usernameKey(normaliseUsername(user.username))),
              claim(emailKey(normaliseEmail(user.email))),
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
  };
}
