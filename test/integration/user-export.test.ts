// `admin export` on DynamoDB Local: every account but those being deleted, one TransferRow per
// line, hashes in their portable form (null for none), written page by page to a 0600 file; the
// round trip: exported, imported by `admin import` into an empty table, every user logs in;
// and the real CLI as a child process.
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportUsersToFile, formatExport } from '../../lib/admin/user-export.ts';
import { runImport } from '../../lib/admin/user-import.ts';
import { AccountDisabledError, InvalidCredentialsError } from '../../lib/domain/errors.ts';
import type { User } from '../../lib/domain/user.ts';
import { type TransferRow, UNUSABLE_PASSWORD_HASH } from '../../lib/domain/user-transfer.ts';
import { hashFormat, portableHash } from '../../lib/passwords/foreign-hashes.ts';
import { hashPassword, verifyPassword } from '../../lib/passwords/hashing.ts';
import { userImportStore } from '../../lib/store/user-imports.ts';
import { userPages } from '../../lib/store/user-listing.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { exportUsers } from '../../lib/use-cases/user-export.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { runAdminCli } from '../support/admin-cli.ts';
import { testClock } from '../support/clock.ts';
import { freshTable, testDependencies } from '../support/deps.ts';
import { type ForeignHash, foreignHashes, oneOfEachSource } from '../support/foreign-hashes.ts';
import { CHEAP_ARGON2 } from '../support/service-handlers.ts';
import { storedUser } from '../support/users.ts';

const clock = testClock(Date.UTC(2026, 10, 30, 8));
const ownPassword = 'an own argon2id passphrase';
let deps: Dependencies;
let dir: string;
/** Each stored user with the password that opens it (none for the unusable one). */
const stored: { user: User; password?: string }[] = [];

beforeAll(async () => {
  deps = testDependencies(clock, { ...CHEAP_ARGON2, TABLE_NAME: await freshTable() });
  dir = await mkdtemp(join(tmpdir(), 'user-export-'));
  const made: ForeignHash[] = oneOfEachSource(await foreignHashes({ defaultCosts: false }));
  for (const { password, hash } of made) stored.push({ user: await storedUser(deps, 'exp', { passwordHash: hash }), password });
  stored.push({
    user: await storedUser(deps, 'expown', {
      passwordHash: await hashPassword(ownPassword, deps.config.argon2),
      externalId: '4711',
      profile: { first_name: 'Zoë', country: 'NL' },
      permissions: ['reports:read'],
      emailVerified: false,
    }),
    password: ownPassword,
  });
  stored.push({ user: await storedUser(deps, 'expnone', { passwordHash: UNUSABLE_PASSWORD_HASH }) });
  stored.push({ user: await storedUser(deps, 'expoff', { passwordHash: made[0]!.hash, status: 'disabled' }), password: made[0]!.password });
  await storedUser(deps, 'expgone', { passwordHash: made[0]!.hash, status: 'deleted' });
}, 120_000);

const rowsOf = async (file: string): Promise<TransferRow[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TransferRow);

describe('admin export', { timeout: 60_000 }, () => {
  it('writes every account but the deleted one, in the import format, to a 0600 file, page by page', async () => {
    const file = join(dir, 'users.jsonl');
    await writeFile(file, 'older content that must go\n', { mode: 0o644 });
    const progress: string[] = [];
    const summary = await exportUsersToFile({ file, stderr: { write: (text: string) => progress.push(text) }, pageItems: 4, progressEvery: 5 }, deps);

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rows = await rowsOf(file);
    expect(rows).toHaveLength(stored.length);
    expect(summary).toMatchObject({ exported: stored.length, skippedDeleted: 1, withoutPassword: 1 });
    expect(Object.values(summary.formats).reduce((a, b) => a + b, 0)).toBe(stored.length - 1);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((line) => /^exported \d+ users\n$/.test(line))).toBe(true);
    expect(rows.some((row) => row.username.startsWith('expgone_'))).toBe(false);

    for (const { user, password } of stored) {
      const row = rows.find((one) => one.username === user.username)!;
      expect(row).toEqual({
        id: user.externalId ?? user.id,
        username: user.username,
        email: user.email,
        email_verified: user.emailVerified,
        password_hash: portableHash(user.passwordHash),
        ...user.profile,
        permissions: user.permissions,
        created_at: user.createdAt,
        disabled: user.status === 'disabled',
      });
      if (password === undefined) expect(row.password_hash).toBeNull();
      else {
        expect([user.username, hashFormat(row.password_hash!)]).toEqual([user.username, expect.any(String)]);
        expect(await verifyPassword(row.password_hash!, password)).toBe(true);
      }
    }
    const own = rows.find((row) => row.username.startsWith('expown_'))!;
    expect(own).toMatchObject({ id: '4711', first_name: 'Zoë', country: 'NL', permissions: ['reports:read'], email_verified: false });
    expect(rows.find((row) => row.username.startsWith('expoff_'))!.disabled).toBe(true);
    const text = formatExport(file, summary);
    expect(text).toMatch(new RegExp(`^Exported ${stored.length} users to .* rows/s\\)`));
    for (const { user } of stored) expect(text).not.toContain(user.passwordHash);
  });

  it('streams: each page is written before the next one is read', async () => {
    const events: string[] = [];
    const pages = userPages(deps.db, deps.config.tableName, { pageItems: 3 });
    const watched = (async function* () {
      for await (const page of pages) {
        events.push(page.some((user) => user.status !== 'deleted') ? 'read' : 'read nothing');
        yield page;
      }
    })();
    const summary = await exportUsers({ pages: watched, write: async () => void events.push('write'), now: () => 0 });
    expect(summary.exported).toBe(stored.length);
    expect(events.filter((event) => event === 'write').length).toBeGreaterThan(3);
    // A page with users in it is written before the next page is read.
    events.forEach((event, index) => {
      if (event === 'read') expect(events[index + 1]).toBe('write');
    });
  });

  it('round-trips: export, `admin import` into an empty table, and every user signs in with their password', { timeout: 180_000 }, async () => {
    const file = join(dir, 'round-trip.jsonl');
    await exportUsersToFile({ file, stderr: { write: () => true } }, deps);
    const target = testDependencies(clock, { ...CHEAP_ARGON2, TABLE_NAME: await freshTable() });
    const imported = await runImport(
      // Four in flight: DynamoDB Local runs transactions one at a time (bench/README.md, section 7).
      { file, dryRun: false, concurrency: '4' },
      { ...target, imports: userImportStore(target.db, target.config.tableName) },
      { stderr: new PassThrough().resume() },
    );
    expect(imported.exitCode).toBe(0);
    for (const { user, password } of stored) {
      const copy = (await target.users.findByLogin(user.username))!;
      expect(copy).toMatchObject({
        email: user.email,
        emailVerified: user.emailVerified,
        profile: user.profile,
        permissions: user.permissions,
        status: user.status,
        externalId: user.externalId ?? user.id,
        createdAt: user.createdAt,
      });
      if (password === undefined) {
        expect(copy.passwordHash).toBe(UNUSABLE_PASSWORD_HASH);
        continue;
      }
      if (user.status !== 'active') {
        await expect(authenticateUser({ login: user.username, password }, target)).rejects.toBeInstanceOf(AccountDisabledError);
        continue;
      }
      await expect(authenticateUser({ login: user.username, password: `${password}!` }, target)).rejects.toBeInstanceOf(InvalidCredentialsError);
      const signedIn = await authenticateUser({ login: user.username, password }, target);
      expect(signedIn.id).toBe(copy.id);
      expect(hashFormat((await target.users.get(signedIn.id))!.passwordHash)).toBe('argon2id');
    }
  });

  it('runs as `admin export FILE`, printing the summary and never a hash', async () => {
    const file = join(dir, 'cli.jsonl');
    const result = await runAdminCli(['export', file], { env: { TABLE_NAME: deps.config.tableName } });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`Exported ${stored.length} users to ${file}`) });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rows = await rowsOf(file);
    expect(rows).toHaveLength(stored.length);
    for (const row of rows) if (row.password_hash) expect(result.stdout + result.stderr).not.toContain(row.password_hash);
  }, 90_000);
});
