// `npm run admin -- export FILE.jsonl`: writes every account to FILE (mode 0600: it holds password
// hashes; never printed), progress on stderr, and returns the summary line. See
// lib/use-cases/user-export.ts for the rows.
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { userPages } from '../store/user-listing.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { exportUsers, type UserExportSummary } from '../use-cases/user-export.ts';

/** Progress goes to stderr at most this often (users), by default. */
const PROGRESS_EVERY = 1_000;

export interface UserExportTarget {
  file: string;
  stderr: { write(text: string): unknown };
  /** Items per Scan page (tests force several pages). */
  pageItems?: number;
  /** Users between progress lines (default 1,000). */
  progressEvery?: number;
}

export async function exportUsersToFile(target: UserExportTarget, deps: Pick<Dependencies, 'db' | 'config'>): Promise<UserExportSummary> {
  // 'w' creates with 0600; chmod as well, in case the file was already there with a wider mode.
  const handle = await open(target.file, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    let reported = 0;
    return await exportUsers({
      pages: userPages(deps.db, deps.config.tableName, target.pageItems ? { pageItems: target.pageItems } : {}),
      write: async (lines) => {
        await handle.write(lines);
      },
      progress: (exported) => {
        if (exported - reported < (target.progressEvery ?? PROGRESS_EVERY)) return;
        reported = exported;
        target.stderr.write(`exported ${exported} users\n`);
      },
      now: () => performance.now(),
    });
  } finally {
    await handle.close();
  }
}

export function formatExport(file: string, summary: UserExportSummary): string {
  const formats = Object.entries(summary.formats)
    .sort(([, a], [, b]) => b - a)
    .map(([format, count]) => `${format} ${count}`)
    .join(', ');
  return [
    `Exported ${summary.exported} users to ${file} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.rowsPerSecond} rows/s).`,
    `Password hashes: ${formats || 'none'}; without a usable password (password_hash null): ${summary.withoutPassword}.`,
    ...(summary.skippedDeleted ? [`Not exported: ${summary.skippedDeleted} accounts being deleted.`] : []),
    `${file} holds password hashes: keep it as secret as the table (it was written with mode 0600).`,
  ].join('\n');
}
