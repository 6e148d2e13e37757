// `admin import FILE.jsonl`: users from another system, with their password hashes, one row a line
// (docs/migration.md). Two passes over the file: the first counts rows (progress %) and finds the
// largest integer id (the user-number counter is moved past it before any write, so a later
// registration never draws an imported number); the second checks each row with the registration
// rules (./user-import-row.ts) and writes it in a transaction of its own, several in flight.
// Idempotent and resumable: a row whose account is already there is skipped, so running the same
// file again (after an interruption, a failure, or twice at once) writes every user exactly once.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import type { ImportWrite, UserImportStore } from '../domain/user-import.ts';
import { toIsoUtc } from '../support/clock.ts';
import type { Dependencies } from './dependencies.ts';
import { newSecurityEvent } from './security-events.ts';
import type { FirebaseScryptParams } from './user-import-hashes.ts';
import { checkImportLine, type ImportRow, integerId } from './user-import-row.ts';

/** The file, read from the start each time lines() is called (the import reads it twice). */
export interface ImportSource {
  lines(): AsyncIterable<string>;
}

/** A row not imported, as the rejects file holds it: never the hash, the email or the profile. */
export interface ImportReject {
  /** 1-based line number in the file. */
  line: number;
  id?: string | number;
  username?: string;
  reasons: string[];
}

export interface ImportProgress {
  /** Rows finished (imported, skipped, rejected or failed) out of `total`. */
  done: number;
  total: number;
  imported: number;
  skipped: number;
  rejected: number;
  elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  /** Rows that passed validation (in a dry run: what would be written). */
  valid: number;
  /** Rows whose write still failed after the retries (also among `rejected`): run the file again. */
  failed: number;
  /** Rows imported without their integer id, which another account already held. */
  numbersNotKept: number;
  /** The user-number counter after the first pass, when it was moved (at least the largest integer id). */
  numberCounter?: number;
  rowsPerSecond: number;
  /** The signal stopped the run before the end of the file: run it again to continue. */
  interrupted: boolean;
  dryRun: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Transactions in flight (default 16). */
  concurrency?: number;
  firebaseScrypt?: FirebaseScryptParams;
  /** Stops reading new rows (those in flight finish): Ctrl-C in the CLI. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Where rows not imported go (`FILE.rejects.jsonl` in the CLI). */
  onReject: (reject: ImportReject) => void | Promise<void>;
  /** Milliseconds for throughput figures (default performance.now). */
  timer?: () => number;
}

export type ImportDeps = Pick<Dependencies, 'clock' | 'config' | 'userNumbers'> & { imports: UserImportStore };

export const DEFAULT_IMPORT_CONCURRENCY = 16;
export const MAX_IMPORT_CONCURRENCY = 64;
/** A line longer than this is refused unread: no real user is 64 KiB of JSON. */
export const MAX_LINE_LENGTH = 65_536;

const isBlank = (line: string) => line.trim() === '';

/** The first pass: rows to come, and the largest integer id among them (0: none). */
async function survey(source: ImportSource, signal: AbortSignal | undefined): Promise<{ total: number; largestId: number }> {
  let total = 0;
  let largestId = 0;
  for await (const line of source.lines()) {
    if (signal?.aborted) break;
    if (isBlank(line)) continue;
    total += 1;
    if (line.length > MAX_LINE_LENGTH) continue;
    try {
      const id = integerId((JSON.parse(line) as { id?: unknown } | null)?.id);
      if (id !== undefined && id > largestId) largestId = id;
    } catch {
      // The second pass rejects it, by line number.
    }
  }
  return { total, largestId };
}

/** What the rejects file may say of a row: its id and username as given, nothing else. */
function identify(line: string): Pick<ImportReject, 'id' | 'username'> {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    return {
      ...(typeof value?.id === 'string' || typeof value?.id === 'number' ? { id: typeof value.id === 'string' ? value.id.slice(0, 256) : value.id } : {}),
      ...(typeof value?.username === 'string' ? { username: value.username.slice(0, 256) } : {}),
    };
  } catch {
    return {};
  }
}

function newUser(row: ImportRow, now: number): User {
  const iso = toIsoUtc(now);
  return {
    id: randomUUID(),
    ...(row.number !== undefined ? { number: row.number } : {}),
    username: row.username,
    email: row.email,
    emailVerified: row.emailVerified,
    profile: row.profile,
    passwordHash: row.passwordHash,
    ...(row.externalId !== undefined ? { externalId: row.externalId } : {}),
    status: row.disabled ? 'disabled' : 'active',
    permissions: row.permissions,
    createdAt: row.createdAt ?? iso,
    updatedAt: iso,
  };
}

const CLASH_REASONS = {
  id: 'id: already belongs to another account',
  username: 'username: already taken by another account',
  email: 'email: already used by another account',
};

/**
 * Imports every row of `source`. Never throws for a row: each one ends imported, skipped (its
 * account is already here) or in onReject with its reasons, a write that failed after the store's
 * retries included ("write failed: …"; summary.failed counts them).
 */
export async function importUsers(source: ImportSource, deps: ImportDeps, options: ImportOptions): Promise<ImportSummary> {
  const timer = options.timer ?? (() => performance.now());
  const started = timer();
  const concurrency = Math.min(Math.max(1, Math.floor(options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY)), MAX_IMPORT_CONCURRENCY);
  const dryRun = options.dryRun === true;
  const rules = { requiredProfileFields: deps.config.requiredProfileFields, ...(options.firebaseScrypt ? { firebaseScrypt: options.firebaseScrypt } : {}) };

  const { total, largestId } = await survey(source, options.signal);
  const counts = { done: 0, total, imported: 0, skipped: 0, rejected: 0, valid: 0, failed: 0, numbersNotKept: 0 };
  const numberCounter = !dryRun && largestId > 0 ? await deps.userNumbers.atLeast(largestId) : undefined;

  const progress = (): ImportProgress => ({
    done: counts.done,
    total,
    imported: counts.imported,
    skipped: counts.skipped,
    rejected: counts.rejected,
    elapsedMs: timer() - started,
  });
  const reject = async (lineNumber: number, line: string, reasons: string[]) => {
    counts.rejected += 1;
    await options.onReject({ line: lineNumber, ...identify(line), reasons });
  };

  async function write(row: ImportRow): Promise<ImportWrite> {
    const user = newUser(row, deps.clock.now());
    const event = newSecurityEvent(user.id, 'account_imported', deps, { channel: 'admin', details: { hash_format: row.hashFormat } });
    return deps.imports.importUser(user, event);
  }

  async function handle(lineNumber: number, line: string): Promise<void> {
    const verdict =
      line.length > MAX_LINE_LENGTH ? { ok: false as const, reasons: [`line longer than ${MAX_LINE_LENGTH} characters`] } : checkImportLine(line, rules);
    if (!verdict.ok) return reject(lineNumber, line, verdict.reasons);
    counts.valid += 1;
    if (dryRun) return;
    let written: ImportWrite;
    try {
      written = await write(verdict.row);
    } catch (error) {
      if (error instanceof ValidationError)
        return reject(
          lineNumber,
          line,
          (error.errors ?? []).map((e) => `${e.field}: ${e.message}`),
        );
      counts.failed += 1;
      return reject(lineNumber, line, [`write failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
    if (written.outcome === 'imported') {
      counts.imported += 1;
      if (!written.numberKept) counts.numbersNotKept += 1;
    } else if (written.outcome === 'exists') {
      counts.skipped += 1;
    } else {
      await reject(
        lineNumber,
        line,
        written.fields.map((field) => CLASH_REASONS[field]),
      );
    }
  }

  const inFlight = new Set<Promise<void>>();
  let lineNumber = 0;
  let interrupted = false;
  for await (const line of source.lines()) {
    lineNumber += 1;
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    if (isBlank(line)) continue;
    const task: Promise<void> = handle(lineNumber, line).finally(() => {
      inFlight.delete(task);
      counts.done += 1;
      options.onProgress?.(progress());
    });
    inFlight.add(task);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (options.signal?.aborted && counts.done < total) interrupted = true;

  const elapsedMs = timer() - started;
  return {
    ...counts,
    elapsedMs,
    rowsPerSecond: elapsedMs > 0 ? (counts.done * 1000) / elapsedMs : 0,
    ...(numberCounter !== undefined ? { numberCounter } : {}),
    interrupted,
    dryRun,
  };
}
