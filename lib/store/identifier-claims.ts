// The keys a username or email is claimed and looked up by, and the migration that gives accounts
// made before the canonical keys (lib/domain/identity.ts) their new claims.
//
// Accounts created before were claimed by NFKC + trim + toLowerCase; the canonical key differs
// from that only for names with "ß", a final "ς", Greek iota subscripts, some historic Cyrillic
// letters, or an international email domain (now punycode). Lookups try the old key first, then the
// new one, so every stored account keeps logging in with what it always used, and a new account can
// never be found by another's old key: the canonical key of an old key is the canonical key of the
// name (tested in test/property/identifiers.property.test.ts). A registration also checks that its
// old-form key is free; `admin migrate-identifiers` writes the canonical claim of every existing
// account, after which no new name can collide with an old account under the new comparison.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { legacyIdentifierKey, normaliseEmail, normaliseUsername } from '../domain/identity.ts';
import type { IdentifierMigration } from '../domain/user.ts';
import type { Db } from './client.ts';
import { conditionalWrite } from './conditional-write.ts';
import { emailKey, usernameKey } from './keys.ts';
import { profileItemPages } from './user-listing.ts';

type Key = { pk: string; sk: string };

export interface ClaimKeys {
  /** The canonical key: where a new account's claim is written. */
  claim: Key;
  /** The key an account made before the canonical keys holds for the same text, when it differs. */
  legacy?: Key;
}

function claimKeys(text: string, canonical: (text: string) => string, build: (normalised: string) => Key): ClaimKeys {
  const claim = build(canonical(text));
  const legacy = build(legacyIdentifierKey(text));
  return legacy.pk === claim.pk ? { claim } : { claim, legacy };
}

export const usernameClaimKeys = (username: string) => claimKeys(username, normaliseUsername, usernameKey);
export const emailClaimKeys = (email: string) => claimKeys(email, normaliseEmail, emailKey);

/** The keys to read, in order, to find who holds `text`: the old form first (see the top of the file). */
export function lookupKeys(keys: ClaimKeys): Key[] {
  return keys.legacy ? [keys.legacy, keys.claim] : [keys.claim];
}

/**
 * Writes the canonical username and email claims of every account that lacks them. Idempotent: a
 * claim already held by the same account counts as present; one held by another account (two old
 * accounts that the new comparison makes one name) is reported, and both keep their old claims.
 */
export async function migrateIdentifierClaims(db: Db, tableName: string): Promise<IdentifierMigration> {
  const report: IdentifierMigration = { users: 0, written: 0, present: 0, conflicts: [] };
  const claim = async (userId: string, field: 'username' | 'email', value: string, key: Key) => {
    const written = await conditionalWrite(
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, type: 'claim', userId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (written) {
      report.written += 1;
      return;
    }
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (Item?.userId === userId) report.present += 1;
    else report.conflicts.push({ userId, field, value, heldBy: String(Item?.userId) });
  };
  for await (const items of profileItemPages(db, tableName, { attributes: ['id', 'username', 'email'] })) {
    for (const item of items) {
      const { id, username, email } = item as { id: string; username: string; email: string };
      report.users += 1;
      await claim(id, 'username', username, usernameClaimKeys(username).claim);
      await claim(id, 'email', email, emailClaimKeys(email).claim);
    }
  }
  return report;
}
