// Runs each local-stack child in its own process group and kills the whole group on stop, so no
// Java or esbuild grandchild outlives `npm start` or a test run, however this process ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const TAIL_LINES = 60;
const GRACE_MS = 3000;

/** A child spawned with `detached: true` (so its pid is also its process group id). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Why it is no longer running ("exited with code 1"), or undefined while it runs. */
  exitReason(): string | undefined;
  /** Resolves with the exit reason once the child has exited, for whatever cause. */
  readonly exited: Promise<string>;
  /** The last lines it printed, for error messages. */
  tail(): string;
  /** Calls the listener with every later output line (used to spot "Server ready"). */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM to the group, SIGKILL after a grace period; resolves once the child has exited. */
  stop(): Promise<void>;
}

// Last resort for an exit that skips stop() (an uncaught error, process.exit elsewhere): 'exit'
// handlers must be synchronous, so the groups get SIGKILL straight away.
const live = new Set<ManagedProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        killGroup(child.pid, 'SIGKILL');
      } catch {
        // Nothing more can be done while exiting; the other groups still deserve their signal.
      }
    }
  });
}

// For a death that runs no code at all (SIGKILL, or tsx/npm killing us hard): a reaper process,
// started once, that kills every group still listed when our end of its stdin closes.
let reaper: Writable | undefined;
function tellReaper(line: string): void {
  if (!reaper) {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./group-reaper.cjs', import.meta.url))], {
      // Its own session: a Ctrl-C to our process group must not stop it before it is needed.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.unref();
    const stdin = child.stdin as Writable & { unref?: () => void };
    // Neither the reaper nor the pipe may keep this process alive; a failed write means it is gone.
    stdin.unref?.();
    stdin.on('error', () => {});
    reaper = stdin;
  }
  reaper.write(`${line}\n`);
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals a whole process group; a group that is already gone is not an error. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Takes charge of a child spawned with `detached: true` and piped stdout/stderr: forwards its
 * output line by line to `log` (with the name as source), keeps a tail, and kills its group on stop.
 */
export function manage(name: string, child: ChildProcess, log?: (line: string, source: string) => void): ManagedProcess {
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const pid = child.pid;
  const lines: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let exitReason: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
      live.delete(managed);
      // An empty group's id may be reused one day; the reaper must not signal a stranger.
      if (!groupExists(pid)) tellReaper(`-${pid}`);
      resolve(exitReason);
    });
    // A failed spawn or kill emits 'error' and maybe no 'exit'.
    child.once('error', (error) => {
      exitReason ??= `failed: ${error.message}`;
      resolve(exitReason);
    });
  });

  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      log?.(line, name);
      for (const listener of listeners) listener(line);
    });
  }

  let stopping: Promise<void> | undefined;
  const managed: ManagedProcess = {
    name,
    pid,
    exitReason: () => exitReason,
    exited,
    tail: () => lines.join('\n'),
    onLine: (listener) => listeners.push(listener),
    stop() {
      stopping ??= (async () => {
        if (exitReason === undefined) {
          killGroup(pid, 'SIGTERM');
          const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, GRACE_MS, 'timeout').unref());
          if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
            killGroup(pid, 'SIGKILL');
            await exited;
          }
        }
        // Grandchildren that ignored SIGTERM may outlive the leader; the group id still reaches them.
        killGroup(pid, 'SIGKILL');
        live.delete(managed);
        tellReaper(`-${pid}`);
      })();
      return stopping;
    },
  };
  live.add(managed);
  installExitHook();
  tellReaper(`+${pid}`);
  return managed;
}
