// Section 4: cold start. Every function in serverless.yml, and the floor (bench/floor/: a bundle
// that only creates the DynamoDB document client), is bundled in one esbuild build with
// serverless.yml's own custom.esbuild settings, read from the file. Each bundle is then imported
// in fresh Node processes with the Lambda's NODE_OPTIONS, rounds interleaved with the order
// rotated, and the import timed inside the process (bench/lib/time-import.ts). What each bundle
// carries (argon2, the SES client, the password dictionary) is read from esbuild's metafile.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { load } from 'js-yaml';
import { type BundleContents, bundleContents, outputsByEntry } from './lib/bundle-contents.ts';
import { type ImportSample, timeImport } from './lib/time-import.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'bench', '.tmp', 'bundles');
/** The floor's source, without `.ts` (as the functions' handlers are named). */
export const FLOOR_ENTRY = 'bench/floor/dynamodb-client';
/** The floor plus Powertools Metrics: the probe of row 4g. */
export const POWERTOOLS_PROBE = { name: 'floor + Powertools Metrics', entry: 'bench/floor/powertools-metrics' };

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

export interface BundleMeasurement {
  /** serverless.yml's function name; 'floor' for the floor. */
  name: string;
  /** Source file without `.ts`. */
  entry: string;
  /** Bytes of the .mjs (the source map not counted). */
  bytes: number;
  contents: BundleContents;
  /** One per round, in round order (so the floor's sample of the same round is at the same index). */
  samples: ImportSample[];
}

export interface ColdStartSummary {
  floor: BundleMeasurement;
  /** The floor with Powertools Metrics (row 4g), measured in the same rounds. */
  powertools: BundleMeasurement;
  functions: BundleMeasurement[];
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

interface Bundle {
  name: string;
  entry: string;
  file: string;
  bytes: number;
  contents: BundleContents;
}

/**
 * One build, every handler and the floor as entries, no code splitting: each output is the same
 * self-contained bundle serverless-esbuild makes when packaging functions individually, and the
 * floor gets exactly the functions' settings because it is in the same build.
 */
async function buildBundles(serverless: Serverless): Promise<Bundle[]> {
  const settings = serverless.custom.esbuild;
  const entries = [
    { name: 'floor', entry: FLOOR_ENTRY },
    POWERTOOLS_PROBE,
    ...Object.entries(serverless.functions).map(([name, fn]) => ({
      name,
      entry: fn.handler.split(/\.(?=[^.]+$)/)[0]!, // "functions/login.handler" -> "functions/login"
    })),
  ];
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(entries.map((e) => [e.entry, `${e.entry}.ts`])),
    outdir: OUT_DIR,
    outExtension: { '.js': settings.outputFileExtension ?? '.mjs' },
    bundle: true,
    minify: settings.minify ?? false,
    sourcemap: settings.sourcemap ?? false,
    treeShaking: settings.treeShaking ?? true,
    format: settings.format ?? 'esm',
    platform: settings.platform ?? 'node',
    target: settings.target ?? 'node22',
    external: [...(settings.exclude ?? []), ...(settings.external ?? [])],
    ...(settings.banner?.js ? { banner: { js: settings.banner.js } } : {}),
    metafile: true,
    logLevel: 'error',
  });
  const outputs = outputsByEntry(result.metafile);
  return entries.map((e) => {
    const output = outputs.get(`${e.entry}.ts`);
    if (!output) throw new Error(`${e.name}: no output for ${e.entry}.ts in the metafile`);
    const file = join(ROOT, output);
    return { ...e, file, bytes: statSync(file).size, contents: bundleContents(result.metafile, output) };
  });
}

export async function benchColdStart(options: { runs: number; progress?: (message: string) => void }): Promise<ColdStartSummary> {
  const serverless = readServerless();
  const bundles = await buildBundles(serverless);

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
    // Module initialisation never reaches KMS: the signer opens its key at the first signature.
    KMS_KEY_ID: 'alias/auth-service-bench',
    // The security-event publisher's own settings (serverless.yml sets them for it alone).
    SECURITY_EVENT_BUS_NAME: 'auth-service-bench-security-events',
    SECURITY_EVENT_SOURCE: 'auth-service',
  };

  try {
    // One untimed import of each: checks that it loads and exports a handler, and brings its
    // files (and node_modules') into the page cache, so no timed run pays for the disk.
    for (const bundle of bundles) await timeImport(bundle.file, env, ROOT);

    const samples = new Map<string, ImportSample[]>(bundles.map((b) => [b.name, []]));
    for (let round = 0; round < options.runs; round += 1) {
      options.progress?.(`round ${round + 1} of ${options.runs}`);
      // Rotated each round, so no bundle always runs just after the same neighbour or at the
      // same point of a round; a slow moment of the machine hits them all alike over the rounds.
      for (let i = 0; i < bundles.length; i += 1) {
        const bundle = bundles[(i + round) % bundles.length]!;
        samples.get(bundle.name)!.push(await timeImport(bundle.file, env, ROOT));
      }
    }
    const measured = bundles.map(
      (b): BundleMeasurement => ({ name: b.name, entry: b.entry, bytes: b.bytes, contents: b.contents, samples: samples.get(b.name)! }),
    );
    return {
      floor: measured[0]!,
      powertools: measured[1]!,
      functions: measured.slice(2),
      runs: options.runs,
      connectionsAtImport: dynamo.count() + ses.count(),
      nodeOptions,
    };
  } finally {
    await dynamo.close();
    await ses.close();
  }
}
