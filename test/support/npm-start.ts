// Runs `npm start` as a developer or a wrapper would, on ports and a data directory of its own, and
// finds whatever it leaves running: every process it starts inherits a marker in its environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { createDb } from '../../lib/store/client.ts';
import { oauthClientStore } from '../../lib/store/oauth-clients.ts';
import { LOCAL_TABLE_NAME } from '../../scripts/local-data.ts';
import { assertPortsFree } from '../../scripts/ports.ts';
import { waitUntil } from '../../scripts/wait-until.ts';
import type { PortsBeside } from './ports-beside.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MARKER = 'LOCAL_STACK_TEST_RUN';

/** A running `npm start`. */
export interface NpmStart {
  /** The npm process's pid; it leads a process group of its own, as in a terminal. */
  pid: number;
  apiUrl: string;
  /** The example single-page app it serves (examples/spa/), on its default port PORT+3. */
  exampleUrl: string;
  /** Its data directory (DynamoDB Local's files, the KMS key). */
  dataDir: string;
  /** An OAuth client as stored in its table. */
  oauthClient(clientId: string): Promise<OAuthClient | undefined>;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once the npm process has exited. */
  exited: Promise<void>;
  /** Processes it started that still run (zombies excluded), as "pid command" lines. */
  leftovers(): string[];
  /** Whether none of its ports (the example app's included) is still taken. */
  portsFree(): Promise<boolean>;
  /** Last resort for the test's own clean-up: SIGKILLs what is left and removes the data directory. */
  cleanUp(): void;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // Gone meanwhile, or not ours to read.
  }
}

/** Live processes whose environment holds MARKER=value (Linux /proc). */
function processesMarked(value: string): Array<{ pid: number; command: string }> {
  const wanted = `${MARKER}=${value}`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (!readProc(pid, 'environ')?.split('\0').includes(wanted)) continue;
    const stat = readProc(pid, 'stat');
    // A zombie has exited and holds nothing; only its parent's wait() is missing.
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    found.push({ pid: Number(pid), command: (readProc(pid, 'cmdline') ?? '').split('\0').join(' ').trim().slice(0, 160) });
  }
  return found;
}

/** Starts `npm start` and resolves once its banner is printed and the API answers. */
export async function startNpmStart(ports: PortsBeside, options: { timeoutMs: number }): Promise<NpmStart> {
  const marker = randomBytes(8).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-test-'));
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    // Its own process group, like a shell job: a Ctrl-C can then go to the group, and no signal of
    // ours reaches vitest.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      [MARKER]: marker,
      PORT: String(ports.api),
      DYNAMODB_PORT: String(ports.dynamo),
      SES_PORT: String(ports.ses),
      KMS_PORT: String(ports.kms),
      DYNAMODB_DATA_DIR: join(dataDir, 'dynamodb'),
      // Never the developer's .data/ KMS key nor the .esbuild bundles a running `npm start` serves.
      KMS_DATA_DIR: join(dataDir, 'kms'),
      ESBUILD_WORK_FOLDER: `.esbuild-test-${ports.api}`,
    },
  });
  if (child.pid === undefined) throw new Error('npm start could not be spawned');
  const pid = child.pid;
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitReason = `npm exited (${signal ?? code})`;
      resolve();
    }),
  );

  const apiUrl = `http://localhost:${ports.api}`;
  const examplePort = ports.api + 3;
  // ports.ses + 2: the security events viewer (EVENTS_VIEWER_PORT's default).
  const all = [ports.api, ports.lambda, ports.dynamo, ports.ses, ports.kms, ports.ses + 2, examplePort];
  const started: NpmStart = {
    pid,
    apiUrl,
    exampleUrl: `http://localhost:${examplePort}/`,
    dataDir,
    async oauthClient(clientId) {
      const db = createDb({ region: 'us-east-1', dynamodbEndpoint: `http://127.0.0.1:${ports.dynamo}` });
      try {
        return await oauthClientStore(db, process.env.TABLE_NAME || LOCAL_TABLE_NAME).get(clientId);
      } finally {
        db.destroy();
      }
    },
    output: () => output,
    exited,
    leftovers: () => processesMarked(marker).map(({ pid, command }) => `${pid} ${command}`),
    portsFree: () =>
      assertPortsFree(all.map((port) => ({ port, purpose: 'npm start under test', envVar: 'TEST_PORT' }))).then(
        () => true,
        () => false,
      ),
    cleanUp() {
      for (const { pid } of processesMarked(marker)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntil(
      'npm start',
      async () => {
        if (!output.includes('Press Ctrl-C to stop')) return false;
        const response = await fetch(`${apiUrl}/.well-known/jwks.json`, { signal: AbortSignal.timeout(10_000) });
        await response.body?.cancel();
        return response.status === 200;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 500, abort: () => exitReason },
    );
  } catch (error) {
    started.cleanUp();
    throw new Error(`${(error as Error).message}\n--- npm start printed ---\n${output.slice(-4000)}`);
  }
  return started;
}
