// Checks that the local stack's ports are free before anything starts, so a clash is reported by
// name instead of surfacing later as a confusing bind error deep in Java or serverless-offline.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** The port number in the environment variable, or the fallback when it is unset or empty. */
export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

/** A port the stack wants, what it is for, and the env variable that moves it. */
export interface WantedPort {
  port: number;
  purpose: string;
  envVar: string;
}

/** Binding the IPv6 wildcard conflicts with any listener on the port (IPv4 or IPv6, any address). */
function bindable(port: number, host: string): Promise<boolean | 'no-host'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? false : 'no-host'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function isFree(port: number): Promise<boolean> {
  const onIpv6 = await bindable(port, '::');
  // Hosts without IPv6 cannot bind '::' at all; fall back to the IPv4 wildcard.
  return onIpv6 === 'no-host' ? (await bindable(port, '0.0.0.0')) === true : onIpv6;
}

/** Best effort: which process listens on the port (needs `ss`; quietly gives up without it). */
function holder(port: number): string | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 2000 });
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    return match ? `${match[1]} (pid ${match[2]})` : undefined;
  } catch {
    return undefined;
  }
}

/** Throws one Error naming every busy port, what probably holds it, and how to move ours. */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  const busy: string[] = [];
  for (const { port, purpose, envVar } of wanted) {
    if (await isFree(port)) continue;
    const who = holder(port) ?? `probably another local stack (npm start or a test run) or a leftover ${purpose}`;
    busy.push(`port ${port} (wanted for ${purpose}) is already in use by ${who}; stop it or set ${envVar}`);
  }
  if (busy.length) throw new Error(`Cannot start the local stack: ${busy.join('; ')}.`);
}
