// `admin import` as the operator meets it (lib/admin/user-import.ts, lib/admin/command-line.ts):
// the command line, the rejects file (0600, truncated each run, never a hash), progress and exit
// status, over an in-memory store, so no database is needed.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../lib/admin/command-line.ts';
import { UsageError } from '../../../lib/admin/errors.ts';
import { formatProgress, importExitCode, parseConcurrency, parseFirebaseScrypt, rejectsPath, runImport } from '../../../lib/admin/user-import.ts';
import { loadConfig } from '../../../lib/config/all.ts';
import type { UserImportStore } from '../../../lib/domain/user-import.ts';
import type { ImportDeps, ImportSummary } from '../../../lib/use-cases/user-import.ts';

const ARGON2 = '$argon2id$v=19$m=7168,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$8pG5MBwXYh7JH7ak3b9pDhN7hV7mR0mVbBv9Zx8r0uE';

/** Users by username: enough of the store's contract for the CLI (exists when the username is there). */
function memoryStore(): UserImportStore & { names: Set<string> } {
  const names = new Set<string>();
  return {
    names,
    async importUser(user) {
      if (names.has(user.username)) return { outcome: 'exists', userId: 'someone' };
      names.add(user.username);
      return { outcome: 'imported', numberKept: true };
    },
  };
}

/** The user-number counter, in memory: never backwards. */
function memoryCounter(): ImportDeps['userNumbers'] {
  let counter = 0;
  return {
    next: async () => ++counter,
    ensure: async () => ++counter,
    atLeast: async (number) => {
      counter = Math.max(counter, number);
      return counter;
    },
    findUserId: async () => undefined,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = (imports: UserImportStore): ImportDeps => ({
  config: loadConfig({ TABLE_NAME: 't', AWS_REGION: 'us-east-1', PUBLIC_URL: 'http://localhost:3000' }),
  clock: { now: () => Date.parse('2026-11-30T00:00:00Z') },
  imports,
  userNumbers: memoryCounter(),
});

describe('admin import', () => {
  it('parses its command line', () => {
    const line = parseCommandLine([
      'import',
      'users.jsonl',
      '--dry-run',
      '--concurrency',
      '8',
      '--firebase-scrypt',
      'signer-key=a,salt-separator=Bw==,rounds=8,mem-cost=14',
    ]);
    expect(line).toMatchObject({
      command: 'import',
      args: { file: 'users.jsonl' },
      dryRun: true,
      import: { concurrency: '8', firebaseScrypt: 'signer-key=a,salt-separator=Bw==,rounds=8,mem-cost=14' },
    });
    expect(() => parseCommandLine(['import'])).toThrow(UsageError);
    expect(() => parseCommandLine(['create', 'a', 'a@example.com', '--concurrency', '3'])).toThrow('"create" does not take --concurrency');
  });

  it('checks --concurrency and --firebase-scrypt', () => {
    expect(parseConcurrency('32')).toBe(32);
    for (const bad of ['0', '65', '2.5', 'x']) expect(() => parseConcurrency(bad)).toThrow(UsageError);
    expect(parseFirebaseScrypt('signer-key=c2lnbmVy,salt-separator=Bw==,rounds=8,mem-cost=14')).toEqual({
      signerKey: 'c2lnbmVy',
      saltSeparator: 'Bw==',
      rounds: 8,
      memCost: 14,
    });
    expect(() => parseFirebaseScrypt('signer-key=c2lnbmVy,rounds=8,mem-cost=14')).toThrow('missing: salt-separator');
    expect(() => parseFirebaseScrypt('signer-key=c2lnbmVy,salt-separator=Bw==,rounds=8,mem-cost=14,pepper=1')).toThrow('unknown: pepper');
    expect(() => parseFirebaseScrypt('signer-key=c2lnbmVy,salt-separator=Bw==,rounds=9,mem-cost=14')).toThrow('rounds');
  });

  it('names the rejects file after the input', () => {
    expect(rejectsPath('/data/users.jsonl')).toBe('/data/users.rejects.jsonl');
    expect(rejectsPath('export.json')).toBe('export.rejects.jsonl');
    expect(rejectsPath('dump')).toBe('dump.rejects.jsonl');
  });

  it('writes rejects (0600, no hash) and a summary; a second run skips and truncates the rejects', async () => {
    const file = join(dir, 'users.jsonl');
    await writeFile(
      file,
      `\uFEFF${JSON.stringify({ username: 'ann', email: 'ann@example.com', password_hash: ARGON2, id: 12 })}\r\n` +
        `${JSON.stringify({ username: 'bob', email: 'bob@example', password_hash: 'sha1$salt$deadbeefcafe' })}\n\n` +
        `${JSON.stringify({ username: 'cy', email: 'cy@example.com', password_hash: null })}\n`,
    );
    const store = memoryStore();
    const stderr = new PassThrough();
    const first = await runImport({ file, dryRun: false }, deps(store), { stderr });
    expect(first.summary).toMatchObject({ total: 3, imported: 1, rejected: 2, numberCounter: 12 });
    expect(first.exitCode).toBe(2);
    expect(first.text).toContain('Imported 1, skipped 0 (already here), rejected 2 of 3 rows');
    expect(first.text).toContain(rejectsPath(file));
    const rejects = (await readFile(rejectsPath(file), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects).toEqual([
      {
        line: 2,
        username: 'bob',
        reasons: ['email: Enter a valid email address.', 'password_hash: not a format this service can verify (docs/migration.md lists them)'],
      },
      { line: 4, username: 'cy', reasons: ['username: Use at least 3 characters.'] },
    ]);
    expect((await stat(rejectsPath(file))).mode & 0o777).toBe(0o600);
    expect(String(stderr.read())).toMatch(/^import: 3\/3 rows \(100%\)/);

    await writeFile(file, `${JSON.stringify({ username: 'ann', email: 'ann@example.com', password_hash: ARGON2, id: 12 })}\n`);
    const second = await runImport({ file, dryRun: false }, deps(store), { stderr: new PassThrough() });
    expect(second.summary).toMatchObject({ imported: 0, skipped: 1, rejected: 0 });
    expect(second.exitCode).toBe(0);
    expect(await readFile(rejectsPath(file), 'utf8')).toBe('');
  });

  it('refuses a file it cannot read before writing anything', async () => {
    await expect(runImport({ file: join(dir, 'missing.jsonl'), dryRun: false }, deps(memoryStore()), { stderr: new PassThrough() })).rejects.toThrow(/ENOENT/);
  });

  it('exit status: 1 to run again (failed writes, interrupted), 2 rows to fix, else 0', () => {
    const summary = { failed: 0, interrupted: false, rejected: 0 } as ImportSummary;
    expect(importExitCode(summary)).toBe(0);
    expect(importExitCode({ ...summary, rejected: 3 })).toBe(2);
    expect(importExitCode({ ...summary, rejected: 3, failed: 1 })).toBe(1);
    expect(importExitCode({ ...summary, interrupted: true })).toBe(1);
  });

  it('shows progress as rows, percent and rate', () => {
    expect(formatProgress({ done: 250, total: 1000, imported: 200, skipped: 40, rejected: 10, elapsedMs: 500 })).toBe(
      'import: 250/1000 rows (25%), 500 rows/s: 200 imported, 40 skipped, 10 rejected',
    );
  });
});
