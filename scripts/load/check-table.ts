// The lost-write check: after a load run, compares what every client was told (the ledger) with
// what the table holds, read directly with strongly consistent reads. A write the API confirmed
// but the table lacks, a delete it confirmed that did not happen, or a refresh-token family that
// is not exactly the chain its client holds, is a problem; the list of problems is the result.
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../lib/store/client.ts';
import { apiTokenKey, refreshFamilyKey, refreshTokenKey, userKey } from '../../lib/store/keys.ts';
import { sha256 } from '../../lib/tokens/opaque.ts';
import type { LoadUser, RefreshChain } from './ledger.ts';

export interface TableCheck {
  /** Every lost write or inconsistency found, one sentence each (never a secret). */
  problems: string[];
  /** How much was compared, for the report. */
  checked: { users: number; sessions: number; refreshTokens: number; liveApiTokens: number; deletedApiTokens: number };
  /** Parts whose state the clients could not know (their answer never came), so not compared. */
  uncertain: number;
}

type Item = Record<string, unknown>;

/** The items the check needs, indexed: the table is small (a local stack), so one consistent scan beats thousands of reads. */
interface TableIndex {
  byKey: Map<string, Item>;
  refreshTokensByFamily: Map<string, Item[]>;
}

const keyOf = (key: { pk: string; sk: string }) => `${key.pk}\u0000${key.sk}`;

async function readTable(db: Db, tableName: string): Promise<TableIndex> {
  const byKey = new Map<string, Item>();
  const refreshTokensByFamily = new Map<string, Item[]>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      // Only the item kinds a load run writes; signing keys, counters and the like are not ours to judge.
      if (!/^(USER|REFRESH|FAMILY)#/.test(pk)) continue;
      byKey.set(keyOf({ pk, sk: String(item.sk) }), item);
      if (item.type === 'refreshToken' && typeof item.familyId === 'string') {
        const family = refreshTokensByFamily.get(item.familyId) ?? [];
        family.push(item);
        refreshTokensByFamily.set(item.familyId, family);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { byKey, refreshTokensByFamily };
}

/** The problems of one login session: its chain must be intact and end in the family's only live token. */
function checkChain(user: LoadUser, chain: RefreshChain, label: string, table: TableIndex): string[] {
  const hashes = chain.tokens.map(sha256);
  const items = hashes.map((hash) => table.byKey.get(keyOf(refreshTokenKey(hash))));
  const missing = items.flatMap((item, i) => (item ? [] : [i + 1]));
  if (missing.length) {
    return [`${label}: refresh token(s) #${missing.join(', #')} of ${hashes.length} the client received are not in the table`];
  }
  const problems: string[] = [];
  const found = items as Item[];
  const familyId = found[0]!.familyId as string;
  if (found.some((item) => item.familyId !== familyId || item.userId !== user.userId)) {
    problems.push(`${label}: the refresh tokens the client received belong to different families or users`);
  }
  for (let i = 0; i < found.length - 1; i += 1) {
    if (found[i]!.used !== true || found[i]!.replacedBy !== hashes[i + 1]) {
      problems.push(`${label}: refresh token #${i + 1} is not recorded as spent by the rotation that gave the client #${i + 2}`);
    }
  }
  const family = table.byKey.get(keyOf(refreshFamilyKey(familyId)));
  if (!family) problems.push(`${label}: its refresh family ${familyId} is not in the table`);
  else if (family.revoked === true) problems.push(`${label}: its refresh family ${familyId} was revoked (${String(family.revokedReason ?? 'no reason')})`);

  const inFamily = table.refreshTokensByFamily.get(familyId) ?? [];
  const live = inFamily.filter((item) => item.used !== true);
  const last = `REFRESH#${hashes[hashes.length - 1]}`;
  if (live.length !== 1) {
    problems.push(`${label}: family ${familyId} has ${live.length} live refresh tokens, not exactly one`);
  }
  if (!live.some((item) => item.pk === last)) {
    problems.push(`${label}: the last refresh token the client received is not the family's live one`);
  }
  if (inFamily.length !== hashes.length) {
    problems.push(`${label}: family ${familyId} holds ${inFamily.length} refresh tokens, the client received ${hashes.length}`);
  }
  return problems;
}

/** Compares the ledger of a load run with the table. */
export async function checkTable(db: Db, tableName: string, users: readonly LoadUser[]): Promise<TableCheck> {
  const table = await readTable(db, tableName);
  const problems: string[] = [];
  const checked = { users: 0, sessions: 0, refreshTokens: 0, liveApiTokens: 0, deletedApiTokens: 0 };
  let uncertain = 0;

  for (const user of users) {
    checked.users += 1;
    if (!table.byKey.has(keyOf(userKey(user.userId)))) problems.push(`user ${user.username}: the profile is not in the table`);

    for (const token of user.apiTokens) {
      if (token.uncertain) {
        uncertain += 1;
        continue;
      }
      const present = table.byKey.has(keyOf(apiTokenKey(user.userId, token.id)));
      if (token.deleted) {
        checked.deletedApiTokens += 1;
        if (present) problems.push(`user ${user.username}: API token ${token.id} was deleted (204) but is still in the table`);
      } else {
        checked.liveApiTokens += 1;
        if (!present) problems.push(`user ${user.username}: API token ${token.id} was created (201) and never deleted, but is not in the table`);
      }
    }

    user.chains.forEach((chain, index) => {
      if (chain.uncertain) {
        uncertain += 1;
        return;
      }
      if (chain.tokens.length === 0) return;
      checked.sessions += 1;
      checked.refreshTokens += chain.tokens.length;
      problems.push(...checkChain(user, chain, `user ${user.username}, session ${index + 1}`, table));
    });
  }
  return { problems, checked, uncertain };
}
