// Starts serverless-offline for a service directory: its CLI, the preloads that make it answer as
// API Gateway does (listed here and nowhere else), and the wait until it serves.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, manage } from '../process-group.ts';
import { answersHttp, waitForProcess } from '../wait-until.ts';

const require = createRequire(import.meta.url);

/** Patches loaded into serverless-offline before it starts; .cjs by --require, .mjs by --import. */
const PRELOADS = [
  // Leaves out serverless-offline's own CORS headers, which API Gateway would not add.
  'without-own-cors.cjs',
  // A function that throws, times out or fails to initialise is answered 500/504 problem+json, as
  // API Gateway answers it, instead of 200 with its stack trace.
  'lambda-failures.mjs',
];

/** The node options that load {@link PRELOADS}. */
export function preloadArgs(): string[] {
  return PRELOADS.flatMap((file) => {
    const url = new URL(`./${file}`, import.meta.url);
    return file.endsWith('.mjs') ? ['--import', url.href] : ['--require', fileURLToPath(url)];
  });
}

/** Options for {@link startOffline}. */
export interface OfflineOptions {
  /** The directory holding the service's serverless.yml. */
  serviceDir: string;
  apiPort: number;
  lambdaPort: number;
  /** The environment on top of process.env (the service's serverless.yml reads PORT and OFFLINE_LAMBDA_PORT). */
  env?: Record<string, string>;
  /** Receives every output line, with 'api' as source. */
  log?: (line: string, source: string) => void;
  /** How long it may take to serve (default 240 s: esbuild bundles every function first, which takes minutes on a loaded 2-core machine). */
  timeoutMs?: number;
}

/**
 * Starts serverless-offline (in its own process group) and resolves once it serves on apiPort;
 * if it does not come up, it is stopped and the error quotes its last output.
 */
export async function startOffline(options: OfflineOptions): Promise<ManagedProcess> {
  const cli = require.resolve('osls/bin/serverless.js');
  // Stage `local` (stages/local.yml): its settings come from the environment, and serverless.yml
  // derives the signing keys' KMS encryption context from the stage (KEY_CONTEXT_STAGE), which is
  // what the local stack's own key creation uses.
  const child = spawn(process.execPath, [...preloadArgs(), cli, 'offline', 'start', '--stage', 'local'], {
    cwd: options.serviceDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(options.apiPort),
      OFFLINE_LAMBDA_PORT: String(options.lambdaPort),
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      ...options.env,
    },
  });
  const api = manage('api', child, options.log);
  let serverReady = false;
  api.onLine((line) => {
    if (line.includes('Server ready')) serverReady = true;
  });
  try {
    await waitForProcess(
      'serverless-offline',
      api,
      options.timeoutMs ?? 240_000,
      async () => serverReady || answersHttp(`http://localhost:${options.apiPort}`),
    );
  } catch (error) {
    await api.stop();
    throw error;
  }
  return api;
}
