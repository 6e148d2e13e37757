// Email-change links and the transactions they authorise (lib/domain/email-change.ts). The
// address is unique through its claim items (./identifier-claims.ts), so a change moves the claim
// in the same transaction as the profile: a registration or another change of the same address
// racing it loses one way or the other, never both win. Links are stored as hashes, with a TTL and
// the owner's gsi1 listing (an account's deletion finds them).
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailChangeLink, EmailChangeOutcome, EmailChangeStore } from '../domain/email-change.ts';
import type { Db } from './client.ts';
import { type ClaimKeys, emailClaimKeys } from './identifier-claims.ts';
import { emailChangeTokenKey, emailRevertTokenKey, ownedItemListing, userKey } from './keys.ts';
import { securityEventPut } from './security-events.ts';
import { conditionalTransaction, type TransactItems, transactIfConditionsHold } from './transact.ts';

type Key = { pk: string; sk: string };
type Item = TransactItems[number];

const linkKey = (kind: EmailChangeLink['kind'], tokenHash: string) => (kind === 'change' ? emailChangeTokenKey(tokenHash) : emailRevertTokenKey(tokenHash));
const ITEM_TYPE = { change: 'emailChangeToken', revert: 'emailRevertToken' } as const;
const LISTING_KIND = { change: 'EMAILCHANGE', revert: 'EMAILREVERT' } as const;

const claimKeysOf = (keys: ClaimKeys): Key[] => (keys.legacy ? [keys.claim, keys.legacy] : [keys.claim]);

function toLink(item: Record<string, unknown>, kind: EmailChangeLink['kind']): EmailChangeLink {
  return {
    kind,
    userId: item.userId as string,
    oldEmail: item.oldEmail as string,
    newEmail: item.newEmail as string,
    ...(typeof item.oldEmailVerified === 'boolean' ? { oldEmailVerified: item.oldEmailVerified } : {}),
    expiresAt: item.expiresAt as number,
  };
}

export function emailChangeStore(db: Db, tableName: string): EmailChangeStore {
  const putLink = (tokenHash: string, link: EmailChangeLink, now: number): Item => ({
    Put: {
      TableName: tableName,
      Item: {
        ...linkKey(link.kind, tokenHash),
        ...ownedItemListing(link.userId, LISTING_KIND[link.kind], tokenHash),
        ...link,
        type: ITEM_TYPE[link.kind],
        createdAt: now,
      },
      // A random 256-bit secret's hash cannot collide; the condition only keeps an item from being overwritten.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const spendLink = (kind: EmailChangeLink['kind'], tokenHash: string, userId: string, now: number): Item => ({
    Delete: {
      TableName: tableName,
      Key: linkKey(kind, tokenHash),
      ConditionExpression: 'attribute_exists(pk) AND expiresAt > :nowSeconds AND userId = :userId',
      ExpressionAttributeValues: { ':nowSeconds': Math.floor(now / 1000), ':userId': userId },
    },
  });

  /** The claims of an address this user holds (either form; an account from before the canonical keys may lack one). */
  const releaseClaims = (email: string, userId: string): Item[] =>
    claimKeysOf(emailClaimKeys(email)).map((key) => ({
      Delete: {
        TableName: tableName,
        Key: key,
        ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
      },
    }));

  /** The canonical claim of an address, and that its old form is free, as registration does. */
  const takeClaims = (email: string, userId: string): Item[] => {
    const keys = emailClaimKeys(email);
    return [
      { Put: { TableName: tableName, Item: { ...keys.claim, type: 'claim', userId }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(keys.legacy ? [{ ConditionCheck: { TableName: tableName, Key: keys.legacy, ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
    ];
  };

  /** Runs the transaction; `takenIndexes` are the items whose failure means the address is another account's. */
  async function run(items: Item[], takenIndexes: Set<number>): Promise<EmailChangeOutcome> {
    const failed = await conditionalTransaction(db, items);
    if (!failed.length) return 'done';
    // The link and the profile are checked too: a spent link or a changed profile is 'invalid', whatever else failed.
    return failed.every((index) => takenIndexes.has(index)) ? 'taken' : 'invalid';
  }

  return {
    request({ tokenHash, link, now, event }) {
      return transactIfConditionsHold(db, [
        putLink(tokenHash, link, now),
        {
          Update: {
            TableName: tableName,
            Key: userKey(link.userId),
            UpdateExpression: 'SET pendingEmailChange = :hash',
            ConditionExpression: 'email = :old AND #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':hash': tokenHash, ':old': link.oldEmail, ':active': 'active' },
          },
        },
        securityEventPut(tableName, event),
      ]);
    },

    async find(kind, tokenHash, nowSeconds) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: linkKey(kind, tokenHash), ConsistentRead: true }));
      return Item && typeof Item.expiresAt === 'number' && Item.expiresAt > nowSeconds ? toLink(Item, kind) : undefined;
    },

    confirm({ tokenHash, link, revertTokenHash, revert, now, event }) {
      const taken = takeClaims(link.newEmail, link.userId);
      const items: Item[] = [
        spendLink('change', tokenHash, link.userId, now),
        {
          Update: {
            TableName: tableName,
            Key: userKey(link.userId),
            UpdateExpression: 'SET email = :new, emailVerified = :true, updatedAt = :iso REMOVE pendingEmailChange, verifyMailSentAt',
            ConditionExpression: 'email = :old AND pendingEmailChange = :hash AND #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':new': link.newEmail,
              ':old': link.oldEmail,
              ':hash': tokenHash,
              ':true': true,
              ':active': 'active',
              ':iso': new Date(now).toISOString(),
            },
          },
        },
        ...releaseClaims(link.oldEmail, link.userId),
        ...taken,
        putLink(revertTokenHash, revert, now),
        securityEventPut(tableName, event),
      ];
      const first = items.indexOf(taken[0]!);
      return run(items, new Set(taken.map((_, index) => first + index)));
    },

    revert({ tokenHash, link, endBefore, now, event }) {
      const taken = takeClaims(link.oldEmail, link.userId);
      const items: Item[] = [
        spendLink('revert', tokenHash, link.userId, now),
        {
          Update: {
            TableName: tableName,
            Key: userKey(link.userId),
            // Ends every session (none spared) and API token: whoever made the change is signed out.
            UpdateExpression:
              'SET email = :old, emailVerified = :verified, validAfterMs = :after, apiTokensValidAfterMs = :after, updatedAt = :iso REMOVE keptSessionId, pendingEmailChange',
            ConditionExpression: 'email = :new',
            ExpressionAttributeValues: {
              ':old': link.oldEmail,
              ':new': link.newEmail,
              ':verified': link.oldEmailVerified ?? true,
              ':after': endBefore,
              ':iso': new Date(now).toISOString(),
            },
          },
        },
        ...releaseClaims(link.newEmail, link.userId),
        ...taken,
        securityEventPut(tableName, event),
      ];
      const first = items.indexOf(taken[0]!);
      return run(items, new Set(taken.map((_, index) => first + index)));
    },

    async discard(kind, tokenHash) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: linkKey(kind, tokenHash) }));
    },
  };
}
