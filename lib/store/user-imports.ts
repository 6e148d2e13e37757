// `admin import` on the table (lib/domain/user-import.ts): each user in one transaction with every
// claim a registration writes (./user-creation.ts) plus its `account_imported` event, so uniqueness
// is decided by DynamoDB's conditions, never by a read before the write. Only a refused write is
// followed by reads, to tell "this account is already here" (a re-run, a racing run) from a clash.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyUnavailableError } from '../domain/errors.ts';
import type { SecurityEvent } from '../domain/security-event.ts';
import type { User } from '../domain/user.ts';
import type { ImportClashField, ImportWrite, UserImportStore } from '../domain/user-import.ts';
import type { Db } from './client.ts';
import { emailClaimKeys, lookupKeys, usernameClaimKeys } from './identifier-claims.ts';
import { externalIdKey } from './keys.ts';
import { type RetryPolicy, type RetryTiming, tryAgain, withRetries } from './retry-policy.ts';
import { securityEventPut } from './security-events.ts';
import { conditionalTransaction } from './transact.ts';
import { fitsAsKey, userCreationItems } from './user-creation.ts';

type Key = { pk: string; sk: string };

/**
 * A bulk import can afford more patience than a request: a row whose transaction the client gave
 * up on (throttling or timeouts its own retries did not outlast) is tried again after a growing,
 * jittered pause, before it is reported as "write failed". Trying again is safe: a transaction
 * that was applied though its answer was lost finds its own claims and counts as imported.
 */
export const IMPORT_WRITE_RETRIES: RetryPolicy = { attempts: 4, backoffMs: (attempt, random) => (0.5 + random) * 500 * attempt };

/** `timing`: how the retries wait (tests make it instant). */
export function userImportStore(db: Db, tableName: string, timing?: RetryTiming): UserImportStore {
  async function holder(keys: Key[]): Promise<string | undefined> {
    for (const key of keys) {
      if (!fitsAsKey(key)) continue;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      if (typeof Item?.userId === 'string') return Item.userId;
    }
    return undefined;
  }

  /**
   * After a refused write: the account the row already is, or the names it clashes on. `original`
   * is the row's user before its integer id was dropped, for numberKept.
   */
  async function explain(user: User, original: User, failed: string[]): Promise<ImportWrite> {
    const found = (owner: string): ImportWrite =>
      // Our own id: an earlier attempt of this very write was applied and only its answer was lost.
      owner === user.id ? { outcome: 'imported', numberKept: user.number === original.number } : { outcome: 'exists', userId: owner };
    if (user.externalId !== undefined) {
      const owner = await holder([externalIdKey(user.externalId)]);
      if (owner) return found(owner);
    } else {
      const [byName, byEmail] = await Promise.all([holder(lookupKeys(usernameClaimKeys(user.username))), holder(lookupKeys(emailClaimKeys(user.email)))]);
      if (byName && byName === byEmail) return found(byName);
    }
    const fields = (['id', 'username', 'email'] as const).filter((field): field is ImportClashField => failed.includes(field));
    // 'user' alone would be a random UUID taken: impossible, so a bug worth a loud failure.
    if (!fields.length) throw new Error(`An import transaction failed unexpectedly (${failed.join(', ')})`);
    return { outcome: 'clash', fields };
  }

  return {
    importUser(user, event: SecurityEvent) {
      let candidate = user;
      // A second write only without the integer id another account turned out to hold, or after an outage.
      return withRetries(
        IMPORT_WRITE_RETRIES,
        async (): Promise<ImportWrite | ReturnType<typeof tryAgain>> => {
          try {
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
              return await explain(candidate, user, failed);
            }
          } catch (error) {
            if (error instanceof DependencyUnavailableError) return tryAgain(error);
            throw error;
          }
        },
        timing,
      );
    },
  };
}
