// `admin export`: every account (not those being deleted) as a TransferRow per line, the format
// `admin import` reads (lib/domain/user-transfer.ts), with each password hash in its portable
// form (PHC or modular crypt where one exists), so this service or another can import it again.
// Pages are written as they are read: the export never holds more than one page of users.
import { PROFILE_FIELDS } from '../domain/profile.ts';
import type { User } from '../domain/user.ts';
import type { TransferRow } from '../domain/user-transfer.ts';
import { hashFormat, portableHash } from '../passwords/foreign-hashes.ts';

/** The row of one user: `id` is the id it came with (externalId), else ours. */
export function transferRow(user: User): TransferRow {
  const profile = Object.fromEntries(PROFILE_FIELDS.flatMap((field) => (user.profile[field] ? [[field, user.profile[field]]] : [])));
  return {
    id: user.externalId ?? user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    password_hash: portableHash(user.passwordHash),
    ...profile,
    permissions: [...user.permissions],
    created_at: user.createdAt,
    disabled: user.status === 'disabled',
  };
}

export interface UserExportSummary {
  exported: number;
  /** Accounts whose deletion has begun: never exported. */
  skippedDeleted: number;
  /** Exported with password_hash null (no usable password: lazy migration or a reset gives one). */
  withoutPassword: number;
  /** How many hashes of each format (by hashFormat of the stored hash; `unrecognised` for the rest). */
  formats: Record<string, number>;
  /** Milliseconds, and rows per second. */
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface UserExportIo {
  /** Pages of users, e.g. userPages() of lib/store/user-listing.ts. */
  pages: AsyncIterable<User[]>;
  /** Writes one page's lines (each ending in a newline); the next page is read once it resolves. */
  write(lines: string): Promise<void>;
  /** Called after each page with the users exported so far. */
  progress?(exported: number): void;
  /** Monotonic milliseconds (performance.now), for the rate. */
  now(): number;
}

export async function exportUsers(io: UserExportIo): Promise<UserExportSummary> {
  const started = io.now();
  const summary: UserExportSummary = { exported: 0, skippedDeleted: 0, withoutPassword: 0, formats: {}, elapsedMs: 0, rowsPerSecond: 0 };
  for await (const page of io.pages) {
    let lines = '';
    for (const user of page) {
      if (user.status === 'deleted') {
        summary.skippedDeleted += 1;
        continue;
      }
      const row = transferRow(user);
      if (row.password_hash === null) summary.withoutPassword += 1;
      else {
        const format = hashFormat(user.passwordHash) ?? 'unrecognised';
        summary.formats[format] = (summary.formats[format] ?? 0) + 1;
      }
      lines += `${JSON.stringify(row)}\n`;
      summary.exported += 1;
    }
    if (lines) await io.write(lines);
    io.progress?.(summary.exported);
  }
  summary.elapsedMs = io.now() - started;
  summary.rowsPerSecond = summary.elapsedMs > 0 ? Math.round((summary.exported * 1000) / summary.elapsedMs) : summary.exported;
  return summary;
}
