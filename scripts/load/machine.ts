// What a load run ran on, and where its CPU time went: figures from a shared 2-core machine mean
// little without the machine, its other load, and which process was busy.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

/** The CPU model as /proc/cpuinfo names it (Node's own view elsewhere). */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: fall through to Node's view.
  }
  return os.cpus()[0]?.model.trim() ?? 'unknown';
}

export function describeMachine(): Machine {
  const mhz = os.cpus()[0]?.speed;
  return {
    cpu: `${cpuModel()}${mhz ? ` @ ${mhz} MHz` : ''}`,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export const loadAverage = (): string =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

/** Best effort (Linux, `ss`): the process listening on a local port. */
export function pidListeningOn(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 2000 });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) a process has used so far; undefined where /proc is missing. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime is the 14th
    // field overall, stime the 15th, in clock ticks (100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** OS threads of a process now (each serverless-offline Lambda instance is a worker thread with several). */
export function threadCount(pid: number): number | undefined {
  try {
    const match = /^Threads:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The load generator's own CPU seconds so far. */
export const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** A named process whose CPU time a run measures. */
export interface Watched {
  name: string;
  pid?: number;
}

export interface CpuUse {
  name: string;
  seconds: number;
  threadsBefore?: number;
  threadsAfter?: number;
}

/** CPU seconds each watched process (and this one) spends between the call and the returned function's call. */
export function cpuMeter(watched: Watched[]): () => CpuUse[] {
  const start = watched.map((w) => (w.pid === undefined ? undefined : cpuSeconds(w.pid)));
  const threadsBefore = watched.map((w) => (w.pid === undefined ? undefined : threadCount(w.pid)));
  const ownStart = ownCpuSeconds();
  return () => [
    ...watched.flatMap((w, i) => {
      const before = start[i];
      const after = w.pid === undefined ? undefined : cpuSeconds(w.pid);
      if (before === undefined || after === undefined) return [];
      const threadsAfter = threadCount(w.pid!);
      return [
        {
          name: w.name,
          seconds: after - before,
          ...(threadsBefore[i] !== undefined && threadsAfter !== undefined ? { threadsBefore: threadsBefore[i], threadsAfter } : {}),
        },
      ];
    }),
    { name: 'load generator (autocannon, this process)', seconds: ownCpuSeconds() - ownStart },
  ];
}
