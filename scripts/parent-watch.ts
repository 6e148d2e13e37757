// Notices when the process that started this one is gone (say npm, killed by a wrapper that does
// not wait for it to pass the signal on), so `npm start` does not run on as an orphan.
import { readFileSync } from 'node:fs';

/** The parent pid now (process.ppid is fixed at start-up); from /proc on Linux, else undefined. */
function currentParent(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `onGone` once when this process's parent exits (it is then re-parented, which /proc shows;
 * elsewhere the parent's pid stops answering). Polls without keeping the process alive.
 */
export function onParentExit(onGone: () => void, intervalMs = 500): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    const now = currentParent();
    if (now === undefined ? exists(parent) : now === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
