// Polls until a service answers, giving up early if its process has already died.
import type { ManagedProcess } from './process-group.ts';

/** Options for {@link waitUntil}. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason to stop waiting at once (e.g. "exited with code 1"), or undefined to go on. */
  abort?: () => string | undefined;
}

/** Resolves when `ready()` returns true; rejects with `what` and the reason on timeout or abort. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new Error(`${what} did not come up: ${aborted}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${Math.round(options.timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** True when anything answers HTTP on the URL, whatever the status. */
export async function answersHttp(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return true;
}

/** {@link waitUntil} for a managed child: gives up when it exits, and the error quotes its last output. */
export async function waitForProcess(what: string, child: ManagedProcess, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  try {
    await waitUntil(what, ready, { timeoutMs, abort: () => child.exitReason() });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- last output of ${child.name} ---\n${child.tail() || '(none)'}`, { cause: error });
  }
}
