// `admin import` on the table (lib/domain/user-import.ts): each user in one transaction with every
// claim a registration writes (./user-creation.ts) plus its `account_imported` event, so uniqueness
// is decided by DynamoDB's conditions, never by a read before the write. Only a refused write is
// followed by reads, to tell "this account is already here" (a re-run, a racing run) from a clash.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SecurityEvent } from '../domain/security-event.ts';
import type { User } from '../domain/user.ts';
import type { ImportClashField, ImportWrite, UserImportStore } from '../domain/user-import.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { emailClaimKeys, lookupKeys, usernameClaimKeys } from './identifier-claims.ts';
import { externalIdKey, userNumberCounterKey } from './keys.ts';
import { securityEventPut } from './security-events.ts';
import { conditionalTransaction } from './transact.ts';
import { fitsAsKey, userCreationItems } from './user-creation.ts';

type Key = { pk: string; sk: string };

export function userImportStore(db: Db, tableName: string): UserImportStore {
  async function holder(keys: Key[]): Promise<string | undefined> {
    for (const key of keys) {
      if (!fitsAsKey(key)) continue;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      if (typeof Item?.userId === 'string') return Item.userId;
    }
    return undefined;
  }

  /** After a refused write: the account the row already is, or the names it clashes on. */
  async function explain(user: User, failed: string[]): Promise<ImportWrite> {
    if (user.externalId !== undefined) {
      const owner = await holder([externalIdKey(user.externalId)]);
      if (owner) return { outcome: 'exists', userId: owner };
    } else {
      const [byName, byEmail] = await Promise.all([holder(lookupKeys(usernameClaimKeys(user.username))), holder(lookupKeys(emailClaimKeys(user.email)))]);
      if (byName && byName === byEmail) return { outcome: 'exists', userId: byName };
    }
    const fields = (['id', 'username', 'email'] as const).filter((field): field is ImportClashField => failed.includes(field));
    // 'user' alone would be a random UUID taken: impossible, so a bug worth a loud failure.
    if (!fields.length) throw new Error(`An import transaction failed unexpectedly (${failed.join(', ')})`);
    return { outcome: 'clash', fields };
  }

  return {
    async importUser(user, event: SecurityEvent) {
      let candidate = user;
      // At most twice: a second time only without the integer id another account turned out to hold.
      for (;;) {
        const items = userCreationItems(tableName, candidate);
        const all = [...items.map((entry) => entry.item), securityEventPut(tableName, event)];
        const failed = (await conditionalTransaction(db, all)).map((index) => items[index]?.means ?? 'event');
        if (!failed.length) return { outcome: 'imported', numberKept: candidate.number === user.number };
        if (failed.length === 1 && failed[0] === 'number' && candidate.number !== undefined) {
          const { number: _dropped, ...rest } = candidate;
          candidate = rest;
          continue;
        }
        return explain(candidate, failed);
      }
    },

    async raiseNumberCounter(atLeast) {
      const raised = await conditionalWrite(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: userNumberCounterKey,
            UpdateExpression: 'SET #value = :at_least',
            // Never backwards: numbers already drawn stay drawn.
            ConditionExpression: 'attribute_not_exists(#value) OR #value < :at_least',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: { ':at_least': atLeast },
          }),
        ),
      );
      if (raised) return atLeast;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: userNumberCounterKey, ConsistentRead: true }));
      return Number(Item?.value ?? 0);
    },
  };
}
