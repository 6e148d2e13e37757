// The hand-over between test/global-setup.ts, which starts the stack in the background, and the
// stack test files, which wait for it: a small JSON file, absent until the start has succeeded or failed.
import { readFileSync } from 'node:fs';
import { waitUntil } from '../../scripts/wait-until.ts';

/** What the global setup writes once the start is over. */
export type StackStatus = { ready: true } | { ready: false; error: string };

function readStatus(file: string): StackStatus | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackStatus;
  } catch {
    return undefined; // Not written yet.
  }
}

/** Resolves once the stack serves; rejects with the start's own error if it failed, or on timeout. */
export async function waitForStack(file: string, timeoutMs: number): Promise<void> {
  let status: StackStatus | undefined;
  await waitUntil(
    'the test stack',
    async () => {
      status = readStatus(file);
      return status !== undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
  if (status && !status.ready) throw new Error(`The test stack did not start, so this file cannot run:\n${status.error}`);
}
