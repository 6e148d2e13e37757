// Captures the service's JSON log lines (written to stderr by lib/log.ts) while a test runs, so it
// can assert what was logged, and what was not (secrets); other output passes through.
import { vi } from 'vitest';

export interface LogCapture {
  lines: Record<string, unknown>[];
  restore: () => void;
}

/** Log lines (our JSON ones) written while a test runs; other output passes through. */
export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{"level"')) lines.push(JSON.parse(text) as Record<string, unknown>);
    else return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    return true;
  }) as typeof process.stderr.write);
  return { lines, restore: () => spy.mockRestore() };
}
