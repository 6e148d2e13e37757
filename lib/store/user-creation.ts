// The items of the transaction that brings a user into existence: the profile and a claim for
// every unique name it carries (username, email, the integer id, the foreign id), each conditional
// on not existing yet. Shared by registration (./users.ts create) and `admin import`
// (./user-imports.ts), so an imported user is stored exactly as a registered one.
import { type FieldError, ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import { emailClaimKeys, usernameClaimKeys } from './identifier-claims.ts';
import { externalIdKey, userKey } from './keys.ts';
import type { TransactItems } from './transact.ts';
import { userNumberClaim } from './user-numbers.ts';

/** What a failed condition of an item means: a name already taken, or the user id itself. */
export type CreationItemMeaning = 'username' | 'email' | 'user' | 'number' | 'id';

export interface CreationItem {
  item: TransactItems[number];
  means: CreationItemMeaning;
}

/** DynamoDB's limit for a partition key; a longer one is refused with an error, not "not found". */
const MAX_PARTITION_KEY_BYTES = 2048;
export const fitsAsKey = (key: { pk: string }) => Buffer.byteLength(key.pk, 'utf8') <= MAX_PARTITION_KEY_BYTES;

export function userItem(user: User) {
  return { ...userKey(user.id), type: 'user', ...user };
}

/**
 * The transaction's items, each with what its failed condition means, so a conflict is told by
 * name, not position. Throws ValidationError naming a name that cannot be a key at all.
 */
export function userCreationItems(tableName: string, user: User): CreationItem[] {
  const claim = (key: { pk: string; sk: string }) => ({
    Put: {
      TableName: tableName,
      Item: { ...key, type: 'claim', userId: user.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const usernameKeys = usernameClaimKeys(user.username);
  const emailKeys = emailClaimKeys(user.email);
  // NFKC can multiply a name (U+FDFA is 18 characters): refuse what cannot be a key, by name.
  const tooLong: FieldError[] = [];
  const tooLongMessage = 'This is too long once normalised; use fewer or simpler characters.';
  if (!fitsAsKey(usernameKeys.claim)) tooLong.push({ field: 'username', message: tooLongMessage });
  if (!fitsAsKey(emailKeys.claim)) tooLong.push({ field: 'email', message: tooLongMessage });
  if (user.externalId !== undefined && !fitsAsKey(externalIdKey(user.externalId))) tooLong.push({ field: 'id', message: 'This id is too long to keep.' });
  if (tooLong.length) throw new ValidationError(tooLong);
  // An account from before the canonical keys may hold only the old form of this name.
  const unclaimed = (key: { pk: string; sk: string } | undefined) =>
    key && fitsAsKey(key) ? [{ ConditionCheck: { TableName: tableName, Key: key, ConditionExpression: 'attribute_not_exists(pk)' } }] : [];
  return [
    { item: claim(usernameKeys.claim), means: 'username' },
    { item: claim(emailKeys.claim), means: 'email' },
    { item: { Put: { TableName: tableName, Item: userItem(user), ConditionExpression: 'attribute_not_exists(pk)' } }, means: 'user' },
    ...unclaimed(usernameKeys.legacy).map((item) => ({ item, means: 'username' as const })),
    ...unclaimed(emailKeys.legacy).map((item) => ({ item, means: 'email' as const })),
    // The integer id's claim, in the same transaction: a user and its number exist together or not at all.
    ...(user.number === undefined ? [] : [{ item: userNumberClaim(tableName, user.number, user.id), means: 'number' as const }]),
    // The foreign id (import, lazy migration) is unique too: one account per id of the old system.
    ...(user.externalId === undefined ? [] : [{ item: claim(externalIdKey(user.externalId)), means: 'id' as const }]),
  ];
}
