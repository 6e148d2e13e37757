// `admin import` against DynamoDB Local, each test on a table of its own: rows of every shape land
// as accounts that log in, bad rows are rejected by line with their reasons, and running a file
// again (after it finished, after an interruption, after a failed write, or twice at once) writes
// every user exactly once, because the transactions' conditions decide, not a read before them.

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnknownUserError } from '../../lib/admin/errors.ts';
import { findUser } from '../../lib/admin/find-user.ts';
import { overview } from '../../lib/admin/format.ts';
import { userOverview } from '../../lib/admin/overview.ts';
import type { UserImportStore } from '../../lib/domain/user-import.ts';
import { UNUSABLE_PASSWORD_HASH } from '../../lib/domain/user-transfer.ts';
import { hashFormat } from '../../lib/passwords/foreign-hashes.ts';
import { hashPassword } from '../../lib/passwords/hashing.ts';
import { userImportStore } from '../../lib/store/user-imports.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import { type ImportOptions, type ImportReject, type ImportSource, importUsers } from '../../lib/use-cases/user-import.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { injectFaults } from '../support/fault-injection.ts';
import { foreignHashes, oneOfEachSource } from '../support/foreign-hashes.ts';
import { CHEAP_ARGON2 } from '../support/service-handlers.ts';

const PASSWORD = 'correct horse battery staple';
let argon2Hash: string;
let bcrypt: string;

beforeAll(async () => {
  argon2Hash = await hashPassword(PASSWORD, testDependencies(undefined, CHEAP_ARGON2).config.argon2);
  bcrypt = await bcryptHash(PASSWORD, 4);
});

/** The import's retries without their pauses: no test sleeps. */
const instant = { sleep: async () => {}, random: () => 0.5 };

/** The test vector of github.com/firebase/scrypt's README, as a Firebase export and its project's hash settings give it. */
function firebaseVector() {
  return {
    params: {
      signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
      saltSeparator: 'Bw==',
      rounds: 8,
      memCost: 14,
    },
    hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
    salt: '42xEC+ixf3L2lw==',
    password: 'user1password',
  };
}

async function fresh(): Promise<{ deps: Dependencies; imports: UserImportStore }> {
  const deps = testDependencies(undefined, { ...CHEAP_ARGON2, TABLE_NAME: await freshTable() });
  return { deps, imports: userImportStore(deps.db, deps.config.tableName, instant) };
}

const source = (rows: (object | string)[]): ImportSource => ({
  async *lines() {
    for (const row of rows) yield typeof row === 'string' ? row : JSON.stringify(row);
  },
});

async function run(rows: (object | string)[], target: { deps: Dependencies; imports: UserImportStore }, options: Partial<ImportOptions> = {}) {
  const rejects: ImportReject[] = [];
  // Four in flight unless a test says otherwise: DynamoDB Local runs transactions one at a time
  // (bench/README.md, section 7), so the default 16 only queues them towards the SDK's timeout.
  const summary = await importUsers(
    source(rows),
    { ...target.deps, imports: target.imports },
    { concurrency: 4, onReject: (r) => void rejects.push(r), ...options },
  );
  return { summary, rejects };
}

/** Every item of a kind in the table (fresh tables are small). */
async function items(deps: Dependencies, filter: (item: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new ScanCommand({ TableName: deps.config.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    found.push(...(page.Items ?? []).filter(filter));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
const users = (deps: Dependencies) => items(deps, (item) => item.type === 'user');
const events = (deps: Dependencies) => items(deps, (item) => item.eventType === 'account_imported');

const rowsOf = (n: number, prefix = 'bulk') =>
  Array.from({ length: n }, (_, i) => ({ username: `${prefix}${i}`, email: `${prefix}${i}@example.com`, password_hash: argon2Hash, id: `ext-${prefix}-${i}` }));

describe('admin import', () => {
  it('imports rows of every shape, and each imported user is stored as the row says', async () => {
    const target = await fresh();
    const { deps } = target;
    const { summary, rejects } = await run(
      [
        { username: 'minimal', email: 'minimal@example.com', password_hash: argon2Hash },
        {
          username: 'Full.Name',
          email: 'Full@Example.com',
          email_verified: true,
          password_hash: bcrypt,
          first_name: ' Ada ',
          last_name: 'Lovelace',
          country: 'GB',
          job_title: 'Analyst',
          organisation_name: 'Engines',
          organisation_type: 'research',
          permissions: ['reports:read', 'reports:read', 'admin/all'],
          created_at: '2015-03-04T05:06:07+02:00',
          id: 41,
          disabled: true,
        },
        { username: 'stringid', email: 'stringid@example.com', password_hash: argon2Hash, id: 'auth0|5f7c8ec7c33c6c004bbafe82' },
        { username: 'nohash', email: 'nohash@example.com', password_hash: null, id: '42' },
        '',
      ],
      target,
    );
    expect(rejects).toEqual([]);
    expect(summary).toMatchObject({ total: 4, imported: 4, skipped: 0, rejected: 0, failed: 0, interrupted: false, numberCounter: 42 });

    const minimal = (await deps.users.findByLogin('minimal'))!;
    expect(minimal).toMatchObject({ emailVerified: false, status: 'active', permissions: [], profile: {}, passwordHash: argon2Hash });
    expect(minimal.externalId).toBeUndefined();
    expect(minimal.number).toBeUndefined();

    const full = (await deps.users.findByExternalId('41'))!;
    expect(full).toMatchObject({
      username: 'Full.Name',
      email: 'Full@Example.com',
      emailVerified: true,
      passwordHash: bcrypt,
      status: 'disabled',
      number: 41,
      externalId: '41',
      permissions: ['reports:read', 'admin/all'],
      createdAt: '2015-03-04T03:06:07.000Z',
      profile: { first_name: 'Ada', last_name: 'Lovelace', country: 'GB', job_title: 'Analyst', organisation_name: 'Engines', organisation_type: 'research' },
    });
    expect((await deps.users.findByLogin('full@example.com'))?.id).toBe(full.id);
    expect(await deps.userNumbers.findUserId(41)).toBe(full.id);

    expect((await deps.users.findByExternalId('auth0|5f7c8ec7c33c6c004bbafe82'))?.username).toBe('stringid');
    const nohash = (await deps.users.findByExternalId('42'))!;
    expect(nohash).toMatchObject({ passwordHash: UNUSABLE_PASSWORD_HASH, number: 42 });

    const recorded = await events(deps);
    expect(recorded).toHaveLength(4);
    expect(recorded.every((event) => event.channel === 'admin')).toBe(true);
    expect(recorded.map((event) => (event.details as { hash_format: string }).hash_format).sort()).toEqual(['argon2id', 'argon2id', 'bcrypt', 'none']);
    // A later registration draws a number above every imported id.
    const later = await register({ username: 'later', email: 'later@example.com', password: PASSWORD }, deps);
    expect(later.number).toBeGreaterThan(42);
  });

  it('every imported user logs in with the password of the old system, whatever made the hash, and is re-hashed with argon2id', async () => {
    const target = await fresh();
    const made = oneOfEachSource(await foreignHashes({ defaultCosts: false }));
    const rows = made.map(({ hash }, index) => ({ username: `moved${index}`, email: `moved${index}@example.com`, password_hash: hash, id: `old-${index}` }));
    // A Firebase export's raw hash and salt, with the project's parameters given once (--firebase-scrypt).
    const firebase = firebaseVector();
    rows.push({ username: 'firebased', email: 'firebased@example.com', password_hash: firebase.hash, password_salt: firebase.salt, id: 'fb-1' } as never);
    const { summary, rejects } = await run(rows, target, { firebaseScrypt: firebase.params });
    expect(rejects).toEqual([]);
    expect(summary.imported).toBe(rows.length);
    const accounts = [...made.map(({ password }, index) => ({ name: `moved${index}`, password })), { name: 'firebased', password: firebase.password }];
    // Four accounts at a time: one of each source, a wrong and a right password each, on a loaded 2-core machine.
    const pending = [...accounts];
    const worker = async () => {
      for (let account = pending.shift(); account; account = pending.shift()) {
        const { name, password } = account;
        await expect(authenticateUser({ login: name, password: `${password}x` }, target.deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
        const user = await authenticateUser({ login: name, password }, target.deps);
        expect([name, hashFormat((await target.deps.users.get(user.id))!.passwordHash)]).toEqual([name, 'argon2id']);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }, 180_000);

  it('keeps the old id for lookups: admin commands find the account by it, and `admin list` shows it', async () => {
    const target = await fresh();
    await run([{ username: 'looked_up', email: 'looked-up@example.com', password_hash: argon2Hash, id: 'crm-0077' }], target);
    const found = await findUser('crm-0077', target.deps);
    expect(found.username).toBe('looked_up');
    expect(await target.deps.users.findByExternalId('crm-0077')).toMatchObject({ id: found.id });
    expect(overview(await userOverview('crm-0077', target.deps))).toContain('id in the system it came from: crm-0077');
    await expect(findUser('crm-0078', target.deps)).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('rejects each bad row by line number with every reason, never with the hash, and imports the rest', async () => {
    const target = await fresh();
    const good = { username: 'good', email: 'good@example.com', password_hash: argon2Hash };
    const { summary, rejects } = await run(
      [
        good,
        '{not json',
        '[1, 2]',
        { ...good, username: 'typo', email: 'typo@example.com', emial: 'x@example.com' },
        { ...good, username: 'a b', email: 'not-an-address' },
        { username: 'nohashfield', email: 'nohashfield@example.com' },
        { username: 'weird', email: 'weird@example.com', password_hash: 'md5$secretsalt$0123456789abcdef' },
        { username: 'salty', email: 'salty@example.com', password_hash: 'aGFzaA==', password_salt: 'c2FsdA==' },
        { username: 'when', email: 'when@example.com', password_hash: argon2Hash, created_at: 'yesterday' },
        { username: 'perm', email: 'perm@example.com', password_hash: argon2Hash, permissions: ['ok', 'not ok'] },
        { username: 'negid', email: 'negid@example.com', password_hash: argon2Hash, id: -3 },
        { username: 'flags', email: 'flags@example.com', password_hash: argon2Hash, disabled: 'yes', email_verified: 1 },
        { username: 'long', email: 'long@example.com', password_hash: argon2Hash, job_title: 'x'.repeat(256) },
      ],
      target,
    );
    expect(summary).toMatchObject({ total: 13, imported: 1, rejected: 12, failed: 0 });
    const byLine = Object.fromEntries(rejects.map((r) => [r.line, r]));
    expect(Object.keys(byLine).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(byLine[2]!.reasons).toEqual(['not valid JSON']);
    expect(byLine[3]!.reasons).toEqual(['not a JSON object']);
    expect(byLine[4]).toMatchObject({ username: 'typo', reasons: ['unknown field "emial"'] });
    expect(byLine[5]!.reasons).toEqual(['username: Use only letters, digits and @ . + - _ characters.', 'email: Enter a valid email address.']);
    expect(byLine[6]!.reasons).toEqual(['password_hash: required (null for an account without a usable password)']);
    expect(byLine[7]!.reasons).toEqual(['password_hash: not a format this service can verify (docs/migration.md lists them)']);
    expect(byLine[8]!.reasons).toEqual(['password_salt: only with --firebase-scrypt (a Firebase export)']);
    expect(byLine[9]!.reasons[0]).toMatch(/^created_at: an ISO 8601 date-time/);
    expect(byLine[10]!.reasons[0]).toMatch(/^permissions:/);
    expect(byLine[11]).toMatchObject({ id: -3, reasons: [expect.stringMatching(/^id: a number must be a positive whole number/)] });
    expect(byLine[12]!.reasons).toEqual(['email_verified: must be true or false', 'disabled: must be true or false']);
    expect(byLine[13]!.reasons).toEqual(['job_title: use at most 255 characters']);
    const written = JSON.stringify(rejects);
    expect(written).not.toContain('secretsalt');
    expect(written).not.toContain(argon2Hash);
    expect(await users(target.deps)).toHaveLength(1);
  });

  it('running the same file again imports nothing twice: every row is skipped', async () => {
    const target = await fresh();
    const rows = [...rowsOf(10), { username: 'noid', email: 'noid@example.com', password_hash: argon2Hash }];
    expect((await run(rows, target)).summary).toMatchObject({ imported: 11, skipped: 0 });
    const again = await run(rows, target);
    expect(again.summary).toMatchObject({ imported: 0, skipped: 11, rejected: 0 });
    expect(await users(target.deps)).toHaveLength(11);
    expect(await events(target.deps)).toHaveLength(11);
  });

  it('an interrupted run continues where it stopped when run again, each user once', async () => {
    const target = await fresh();
    const rows = rowsOf(30);
    const stop = new AbortController();
    let written = 0;
    const interrupting: UserImportStore = {
      ...target.imports,
      async importUser(user, event) {
        const outcome = await target.imports.importUser(user, event);
        written += 1;
        if (written === 8) stop.abort();
        return outcome;
      },
    };
    const first = await run(rows, { ...target, imports: interrupting }, { signal: stop.signal, concurrency: 4 });
    expect(first.summary.interrupted).toBe(true);
    expect(first.summary.imported).toBeGreaterThanOrEqual(8);
    expect(first.summary.imported).toBeLessThan(30);
    const second = await run(rows, target, { concurrency: 4 });
    expect(second.summary).toMatchObject({ interrupted: false, imported: 30 - first.summary.imported, skipped: first.summary.imported, rejected: 0 });
    const stored = await users(target.deps);
    expect(stored).toHaveLength(30);
    expect(new Set(stored.map((user) => user.externalId)).size).toBe(30);
  });

  it('a write that still fails is reported as "write failed", and the next run imports it', async () => {
    const target = await fresh();
    const faults = injectFaults(target.deps.db);
    try {
      // Every attempt of the third row's transaction fails (the store tries it 4 times, the SDK each
      // time 3), so both give up on that row.
      for (const call of [3, 4, 5, 6]) faults.inject({ fault: 'internal-error', command: 'TransactWriteItems', call });
      const first = await run(rowsOf(6), target, { concurrency: 1 });
      expect(first.summary).toMatchObject({ imported: 5, failed: 1, rejected: 1 });
      expect(first.rejects[0]).toMatchObject({ line: 3, id: 'ext-bulk-2', username: 'bulk2', reasons: [expect.stringMatching(/^write failed: /)] });
      expect(await target.deps.users.findByExternalId('ext-bulk-2')).toBeUndefined();
    } finally {
      faults.remove();
    }
    const second = await run(rowsOf(6), target);
    expect(second.summary).toMatchObject({ imported: 1, skipped: 5, failed: 0 });
    expect(await users(target.deps)).toHaveLength(6);
  });

  it('a transaction the client gave up on is tried again; one applied whose answer was lost counts as imported', async () => {
    const target = await fresh();
    const faults = injectFaults(target.deps.db);
    try {
      faults.inject({ fault: 'throttling', command: 'TransactWriteItems', call: 2 });
      faults.inject({ fault: 'lost-response', command: 'TransactWriteItems', call: 4, attempts: 1 });
      const { summary, rejects } = await run(rowsOf(5), target, { concurrency: 1 });
      expect(rejects).toEqual([]);
      expect(summary).toMatchObject({ imported: 5, skipped: 0, failed: 0 });
      expect(faults.failedAttempts).toBeGreaterThanOrEqual(4);
    } finally {
      faults.remove();
    }
    expect(await users(target.deps)).toHaveLength(5);
    expect(await events(target.deps)).toHaveLength(5);
  });

  it('two imports of one file at once write each user exactly once', async () => {
    const target = await fresh();
    const rows = [
      ...rowsOf(20, 'race'),
      ...Array.from({ length: 5 }, (_, i) => ({ username: `raceless${i}`, email: `raceless${i}@example.com`, password_hash: argon2Hash })),
    ];
    const [a, b] = await Promise.all([run(rows, target, { concurrency: 4 }), run(rows, target, { concurrency: 4 })]);
    expect(a.summary.imported + b.summary.imported).toBe(25);
    expect(a.summary.skipped + b.summary.skipped).toBe(25);
    expect([...a.rejects, ...b.rejects]).toEqual([]);
    expect(await users(target.deps)).toHaveLength(25);
    expect(await events(target.deps)).toHaveLength(25);
  });

  it('a row clashing with a different account is rejected naming the field, and leaves nothing of itself', async () => {
    const target = await fresh();
    const { deps } = target;
    await register({ username: 'taken', email: 'owner@example.com', password: PASSWORD }, deps);
    const { summary, rejects } = await run(
      [
        { username: 'TAKEN', email: 'other@example.com', password_hash: argon2Hash, id: 'x1' },
        { username: 'fresh', email: 'Owner@Example.com', password_hash: argon2Hash },
        { username: 'first', email: 'first@example.com', password_hash: argon2Hash, id: 'dup' },
        { username: 'second', email: 'second@example.com', password_hash: argon2Hash, id: 'dup' },
      ],
      target,
      { concurrency: 1 },
    );
    expect(summary).toMatchObject({ imported: 1, skipped: 1, rejected: 2 });
    expect(rejects).toEqual([
      { line: 1, id: 'x1', username: 'TAKEN', reasons: ['username: already taken by another account'] },
      { line: 2, username: 'fresh', reasons: ['email: already used by another account'] },
    ]);
    // The failed transactions left no claim, profile or event behind.
    expect(await deps.users.findByExternalId('x1')).toBeUndefined();
    expect(await deps.users.findByLogin('fresh')).toBeUndefined();
    expect(await deps.users.findByLogin('second')).toBeUndefined();
    expect(await users(deps)).toHaveLength(2);
    expect(await events(deps)).toHaveLength(1);
  });

  it('keeps integer ids as numbers; one another account holds is imported without it', async () => {
    const target = await fresh();
    const { deps } = target;
    const existing = await register({ username: 'registered', email: 'registered@example.com', password: PASSWORD }, deps);
    const { summary } = await run(
      [
        { username: 'clasher', email: 'clasher@example.com', password_hash: argon2Hash, id: existing.number },
        { username: 'big', email: 'big@example.com', password_hash: argon2Hash, id: 9000 },
      ],
      target,
    );
    expect(summary).toMatchObject({ imported: 2, numbersNotKept: 1, numberCounter: 9000 });
    const clasher = (await deps.users.findByLogin('clasher'))!;
    expect(clasher.number).toBeUndefined();
    expect(clasher.externalId).toBe(String(existing.number));
    expect(await deps.userNumbers.findUserId(existing.number!)).toBe(existing.id);
    expect((await deps.users.findByLogin('big'))?.number).toBe(9000);
    // The counter never goes backwards: a smaller largest id leaves it where it is.
    expect(await deps.userNumbers.atLeast(50)).toBe(9000);
    expect(await deps.userNumbers.ensure(clasher)).toBe(9001);
  });

  it('--dry-run checks every row and writes nothing', async () => {
    const target = await fresh();
    const { summary, rejects } = await run(
      [...rowsOf(3, 'dry'), { username: 'x', email: 'bad', password_hash: null }, { username: 'n', email: 'n@example.com', password_hash: null, id: 77 }],
      target,
      { dryRun: true },
    );
    expect(summary).toMatchObject({ dryRun: true, total: 5, valid: 3, rejected: 2, imported: 0 });
    expect(summary.numberCounter).toBeUndefined();
    expect(rejects.map((r) => r.line)).toEqual([4, 5]);
    expect(await items(target.deps, () => true)).toEqual([]);
  });

  it('create() claims the external id too: a second account with it is a conflict on "id"', async () => {
    const target = await fresh();
    await run([{ username: 'holder', email: 'holder@example.com', password_hash: argon2Hash, id: 'legacy-9' }], target);
    const now = new Date().toISOString();
    const second = {
      id: crypto.randomUUID(),
      username: 'other',
      email: 'other@example.com',
      emailVerified: false,
      profile: {},
      passwordHash: argon2Hash,
      externalId: 'legacy-9',
      status: 'active' as const,
      permissions: [],
      createdAt: now,
      updatedAt: now,
    };
    await expect(target.deps.users.create(second)).rejects.toMatchObject({ code: 'conflict', errors: [{ field: 'id' }] });
    expect(await target.deps.users.findByLogin('other')).toBeUndefined();
    await target.deps.users.create({ ...second, externalId: 'legacy-10' });
    expect((await target.deps.users.findByExternalId('legacy-10'))?.username).toBe('other');
  });

  it('deleting an imported account frees its external id', async () => {
    const target = await fresh();
    const { deps } = target;
    await run([{ username: 'leaver', email: 'leaver@example.com', password_hash: argon2Hash, id: 'gone-1' }], target);
    const user = (await deps.users.findByExternalId('gone-1'))!;
    await deps.accountDeletions.begin({
      user,
      pseudonym: 'p-1',
      now: Date.now(),
      event: { id: 'e1', userId: user.id, type: 'account_deleted', at: Date.now(), channel: 'admin', expiresAt: 2_000_000_000 },
    });
    expect(await deps.users.findByExternalId('gone-1')).toBeUndefined();
  });
});
