// `npm run admin -- import FILE.jsonl`: the file read line by line (twice: the use case counts
// first), rows not imported written to FILE.rejects.jsonl (mode 0600: usernames), progress on
// stderr at most once a second, Ctrl-C finishing the rows in flight, and the summary.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { ImportDeps, ImportProgress, ImportReject, ImportSource, ImportSummary } from '../use-cases/user-import.ts';
import { importUsers, MAX_IMPORT_CONCURRENCY } from '../use-cases/user-import.ts';
import type { FirebaseScryptParams } from '../use-cases/user-import-hashes.ts';
import { UsageError } from './errors.ts';

export interface ImportCommand {
  file: string;
  dryRun: boolean;
  /** As typed: --concurrency. */
  concurrency?: string;
  /** As typed: --firebase-scrypt signer-key=…,salt-separator=…,rounds=8,mem-cost=14. */
  firebaseScrypt?: string;
}

/** The file whose lines are the rows; a byte-order mark and CRLF line ends are tolerated. */
export function fileSource(path: string): ImportSource {
  return {
    async *lines() {
      const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
      let first = true;
      for await (const line of lines) {
        yield first ? line.replace(/^\uFEFF/, '') : line;
        first = false;
      }
    },
  };
}

export const rejectsPath = (file: string) => `${file.replace(/\.jsonl?$/i, '')}.rejects.jsonl`;

export function parseConcurrency(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 1 || value > MAX_IMPORT_CONCURRENCY)
    throw new UsageError(`--concurrency takes a whole number from 1 to ${MAX_IMPORT_CONCURRENCY}; got "${given}".`);
  return value;
}

/** Firebase's "hash config" of the project (Authentication → Users → ⋮ → Password hash parameters). */
export function parseFirebaseScrypt(given: string | undefined): FirebaseScryptParams | undefined {
  if (given === undefined) return undefined;
  const pairs = new Map(
    given.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at < 0 ? undefined : at).trim(), at < 0 ? '' : pair.slice(at + 1).trim()] as const;
    }),
  );
  const known = ['signer-key', 'salt-separator', 'rounds', 'mem-cost'];
  const unknown = [...pairs.keys()].filter((key) => !known.includes(key));
  const missing = known.filter((key) => !pairs.get(key));
  if (unknown.length || missing.length) {
    throw new UsageError(
      `--firebase-scrypt takes signer-key=<base64>,salt-separator=<base64>,rounds=<1-8>,mem-cost=<1-14>${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`,
    );
  }
  const whole = (key: string, max: number) => {
    const value = Number(pairs.get(key));
    if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`--firebase-scrypt: ${key} takes a whole number from 1 to ${max}.`);
    return value;
  };
  const base64 = (key: string) => {
    const value = pairs.get(key)!;
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) throw new UsageError(`--firebase-scrypt: ${key} must be base64.`);
    return value;
  };
  return { signerKey: base64('signer-key'), saltSeparator: base64('salt-separator'), rounds: whole('rounds', 8), memCost: whole('mem-cost', 14) };
}

export function formatProgress(p: ImportProgress): string {
  const percent = p.total ? Math.floor((p.done * 100) / p.total) : 100;
  const rate = p.elapsedMs > 0 ? Math.round((p.done * 1000) / p.elapsedMs) : 0;
  return `import: ${p.done}/${p.total} rows (${percent}%), ${rate} rows/s: ${p.imported} imported, ${p.skipped} skipped, ${p.rejected} rejected`;
}

export function formatImportSummary(summary: ImportSummary, rejects: string): string {
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const lines = summary.dryRun
    ? [`Dry run: ${summary.total} rows, ${summary.valid} valid, ${summary.rejected} rejected; nothing written (existing accounts not checked).`]
    : [
        `Imported ${summary.imported}, skipped ${summary.skipped} (already here), rejected ${summary.rejected} of ${summary.total} rows in ${seconds} s (${Math.round(summary.rowsPerSecond)} rows/s).`,
      ];
  if (summary.numberCounter !== undefined)
    lines.push(`The user-number counter is at ${summary.numberCounter}: new registrations get numbers above the imported ids.`);
  if (summary.numbersNotKept)
    lines.push(
      `${summary.numbersNotKept} user(s) imported without their integer id, which another account already held (they get a new one when first needed).`,
    );
  if (summary.rejected) lines.push(`Rejected rows, with line numbers and reasons: ${rejects}`);
  if (summary.failed) lines.push(`${summary.failed} row(s) could not be written (write failed): run the same command again to import them.`);
  if (summary.interrupted) lines.push('Interrupted: run the same command again to continue (rows already imported are skipped).');
  return lines.join('\n');
}

/** 1: rows failed or the run was interrupted (run it again); 2: rows were rejected (fix them); else 0. */
export function importExitCode(summary: ImportSummary): number {
  if (summary.failed || summary.interrupted) return 1;
  return summary.rejected ? 2 : 0;
}

export async function runImport(
  command: ImportCommand,
  deps: ImportDeps,
  io: { stderr: NodeJS.WritableStream; signal?: AbortSignal },
): Promise<{ summary: ImportSummary; text: string; exitCode: number }> {
  const concurrency = parseConcurrency(command.concurrency);
  const firebaseScrypt = parseFirebaseScrypt(command.firebaseScrypt);
  const rejects = rejectsPath(command.file);
  // Fails before anything is written when the file cannot be read.
  await (await open(command.file, 'r')).close();
  // Truncated: a rejects file of an earlier run must not be taken for this run's.
  // A stream, so lines written by rows finishing at once are queued whole, in order.
  const out = createWriteStream(rejects, { flags: 'w', mode: 0o600 });
  let lastProgress = 0;
  try {
    const summary = await importUsers(fileSource(command.file), deps, {
      dryRun: command.dryRun,
      ...(concurrency ? { concurrency } : {}),
      ...(firebaseScrypt ? { firebaseScrypt } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onReject: (reject: ImportReject) => {
        out.write(`${JSON.stringify(reject)}\n`);
      },
      onProgress: (progress) => {
        if (progress.elapsedMs - lastProgress < 1000 && progress.done < progress.total) return;
        lastProgress = progress.elapsedMs;
        io.stderr.write(`${formatProgress(progress)}\n`);
      },
    });
    return { summary, text: formatImportSummary(summary, rejects), exitCode: importExitCode(summary) };
  } finally {
    out.end();
    await finished(out);
  }
}
