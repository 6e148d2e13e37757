// Section 4: cold start. Every function in serverless.yml is bundled the way serverless-esbuild
// bundles it (custom.esbuild: bundle, minify, linked source map, ESM, node22, @aws-sdk/* and
// @node-rs/argon2 external, the same banner), then imported in fresh Node processes with the
// Lambda's own NODE_OPTIONS. Init time = median wall time of `node <bundle>.mjs` minus the median
// of a bare `node -e 0`, the two interleaved over the same rounds.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { load } from 'js-yaml';
import { median } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'bench', '.tmp', 'bundles');

interface EsbuildSettings {
  minify?: boolean;
  sourcemap?: boolean;
  treeShaking?: boolean;
  format?: 'esm' | 'cjs';
  outputFileExtension?: string;
  platform?: 'node';
  target?: string;
  exclude?: string[];
  external?: string[];
  banner?: { js?: string };
}

interface Serverless {
  provider: { environment?: Record<string, unknown>; memorySize?: number };
  custom: { esbuild: EsbuildSettings };
  functions: Record<string, { handler: string; memorySize?: number }>;
}

export interface ColdStartRow {
  name: string;
  entry: string;
  bytes: number;
  initMs: number;
  memoryMb: number;
}

export interface ColdStartSummary {
  rows: ColdStartRow[];
  baselineMs: number;
  runs: number;
  /** TCP connections the imports opened to the DynamoDB and SES endpoints (must be 0). */
  connectionsAtImport: number;
  nodeOptions: string;
}

function readServerless(): Serverless {
  // Only the parts read here; ${...} variables stay unresolved strings, which is fine for them.
  return load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as Serverless;
}

/** A TCP listener that counts connections: the import must not open any. */
function connectionCounter(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        count: () => connections,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ ms: performance.now() - start, code, stderr }));
  });
}

export async function benchColdStart(options: { runs: number }): Promise<ColdStartSummary> {
  const serverless = readServerless();
  const settings = serverless.custom.esbuild;
  const functions = Object.entries(serverless.functions).map(([name, fn]) => {
    const [file] = fn.handler.split(/\.(?=[^.]+$)/); // "functions/login.handler" -> "functions/login"
    return { name, file: file!, memoryMb: fn.memorySize ?? serverless.provider.memorySize ?? 1024 };
  });

  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const ext = settings.outputFileExtension ?? '.mjs';
  // One build with every handler as its own entry and no code splitting: each output is the same
  // self-contained bundle serverless-esbuild makes when packaging functions individually.
  await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(functions.map((f) => [f.file, `${f.file}.ts`])),
    outdir: OUT_DIR,
    outExtension: { '.js': ext },
    bundle: true,
    minify: settings.minify ?? false,
    sourcemap: settings.sourcemap ?? false,
    treeShaking: settings.treeShaking ?? true,
    format: settings.format ?? 'esm',
    platform: settings.platform ?? 'node',
    target: settings.target ?? 'node22',
    external: [...(settings.exclude ?? []), ...(settings.external ?? [])],
    ...(settings.banner?.js ? { banner: { js: settings.banner.js } } : {}),
    logLevel: 'error',
  });

  const dynamo = await connectionCounter();
  const ses = await connectionCounter();
  // The Lambda's NODE_OPTIONS (serverless.yml provider.environment), and a configuration that
  // passes validation; the endpoints are the counters, so any connection at import is seen.
  const nodeOptions = String(serverless.provider.environment?.NODE_OPTIONS ?? '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_OPTIONS: nodeOptions,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: 'auth-service-bench',
    DYNAMODB_ENDPOINT: dynamo.url,
    SES_ENDPOINT: ses.url,
    PUBLIC_URL: 'https://auth.example.com',
    KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
  };

  try {
    // Each bundle must load and export a handler; checked once, outside the timed runs.
    for (const fn of functions) {
      const url = pathToFileURL(join(OUT_DIR, `${fn.file}${ext}`)).href;
      const check = await runNode(
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); if (typeof m.handler !== 'function') process.exit(3);`],
        env,
      );
      if (check.code !== 0) throw new Error(`${fn.name}: importing the bundle failed (exit ${check.code})\n${check.stderr}`);
    }

    const baseline: number[] = [];
    const samples = new Map<string, number[]>(functions.map((f) => [f.name, []]));
    await runNode(['-e', '0'], env); // the first spawn pays for warming the page cache
    for (let round = 0; round < options.runs; round += 1) {
      baseline.push((await runNode(['-e', '0'], env)).ms);
      for (const fn of functions) {
        const result = await runNode([join(OUT_DIR, `${fn.file}${ext}`)], env);
        if (result.code !== 0) throw new Error(`${fn.name}: the bundle exited with ${result.code}\n${result.stderr}`);
        samples.get(fn.name)!.push(result.ms);
      }
    }
    const baselineMs = median(baseline);
    return {
      rows: functions.map((fn) => ({
        name: fn.name,
        entry: fn.file,
        bytes: statSync(join(OUT_DIR, `${fn.file}${ext}`)).size,
        initMs: median(samples.get(fn.name)!) - baselineMs,
        memoryMb: fn.memoryMb,
      })),
      baselineMs,
      runs: options.runs,
      connectionsAtImport: dynamo.count() + ses.count(),
      nodeOptions,
    };
  } finally {
    await dynamo.close();
    await ses.close();
  }
}
