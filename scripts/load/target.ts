// What the load runs against: by default an own in-memory local stack on its own ports (as the
// test suite's global setup starts one), or, with LOAD_URL, an API that is already running.
import { createDb, type Db } from '../../lib/store/client.ts';
import { type LocalStack, startLocalStack } from '../local-stack.ts';
import { type HandlerTimes, handlerTimes } from './handler-times.ts';
import { pidListeningOn, type Watched } from './machine.ts';
import type { LoadOptions } from './options.ts';

export interface Target {
  apiUrl: string;
  db: Db;
  tableName: string;
  dynamodbEndpoint: string;
  /** The stack this run started, if any. */
  stack?: LocalStack;
  /** Processes whose CPU time is worth reporting (best effort). */
  watched: Watched[];
  /** Handler durations serverless-offline reports (only for the own stack, whose output we read). */
  handlerTimes?: HandlerTimes;
  /** Settings the reader should know about, one line each. */
  notes: string[];
  stop(): Promise<void>;
}

const LOAD_TABLE = 'auth-load';

/** The API's and DynamoDB's processes, found by the ports they listen on. */
function watchedProcesses(apiPort: number | undefined, dynamoPort: number | undefined): Watched[] {
  const watched: Watched[] = [];
  const api = apiPort === undefined ? undefined : pidListeningOn(apiPort);
  const dynamo = dynamoPort === undefined ? undefined : pidListeningOn(dynamoPort);
  if (api !== undefined) watched.push({ name: 'serverless-offline (HTTP server + every Lambda worker thread, argon2 included)', pid: api });
  if (dynamo !== undefined) watched.push({ name: 'DynamoDB Local (Java)', pid: dynamo });
  return watched;
}

const portOf = (url: string): number | undefined => {
  const parsed = new URL(url);
  if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) return undefined;
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
};

/** Starts the own stack, or connects to LOAD_URL's API and its table. */
export async function openTarget(options: LoadOptions, log: (line: string) => void): Promise<Target> {
  if (options.targetUrl) {
    const db = createDb({ region: options.region, dynamodbEndpoint: options.dynamodbEndpoint });
    return {
      apiUrl: options.targetUrl,
      db,
      tableName: options.tableName,
      dynamodbEndpoint: options.dynamodbEndpoint,
      watched: watchedProcesses(portOf(options.targetUrl), portOf(options.dynamodbEndpoint)),
      notes: [
        `target: ${options.targetUrl} (already running); table checked: ${options.tableName} at ${options.dynamodbEndpoint}`,
        'per-IP budget: whatever that server was started with; all connections come from one address, so start it with IP_RATE_LIMIT_PER_MINUTE=0 or logins will get 429',
      ],
      stop: async () => db.destroy(),
    };
  }

  const { api, dynamodb, ses } = options.ports;
  const times = handlerTimes();
  log(`starting an own local stack (API ${api}, DynamoDB Local ${dynamodb} in memory, SES ${ses}) ...`);
  const stack = await startLocalStack({
    dynamoPort: dynamodb,
    sesPort: ses,
    kmsPort: ses + 1,
    apiPort: api,
    lambdaPort: api + 2,
    tableName: LOAD_TABLE,
    env: {
      // Its own bundles, so a load run never rewrites what `npm start` or a test run is serving.
      ESBUILD_WORK_FOLDER: `.esbuild-load-${api}`,
      // A cold function on a busy 2-core machine may exceed its deployed 10 s timeout, as in the tests.
      OFFLINE_NO_TIMEOUT: 'true',
      // Every connection comes from 127.0.0.1, one "source address": the per-IP budget would
      // measure the limiter, not the service.
      IP_RATE_LIMIT_PER_MINUTE: '0',
    },
    // Read, not shown (unless LOAD_STACK_LOG=1): serverless-offline reports each handler's duration.
    log: (line, source) => {
      if (source === 'api') times.take(line);
      if (options.stackLog) console.error(`[${source}] ${line}`);
    },
    portEnvVars: {
      apiPort: 'LOAD_API_PORT',
      dynamoPort: 'LOAD_DYNAMODB_PORT',
      sesPort: 'LOAD_SES_PORT',
      lambdaPort: 'LOAD_API_PORT (Lambda port = LOAD_API_PORT + 2)',
    },
  });
  const db = createDb({ region: 'us-east-1', dynamodbEndpoint: stack.dynamoEndpoint });
  return {
    apiUrl: stack.apiUrl,
    db,
    tableName: LOAD_TABLE,
    dynamodbEndpoint: stack.dynamoEndpoint,
    stack,
    watched: watchedProcesses(api, dynamodb),
    handlerTimes: times,
    notes: [
      `target: an own stack started for this run at ${stack.apiUrl} (DynamoDB Local in memory, table ${LOAD_TABLE})`,
      'per-IP budget: OFF (IP_RATE_LIMIT_PER_MINUTE=0): all connections come from 127.0.0.1, so the 100/min default would measure the limiter, not the service',
      'OFFLINE_NO_TIMEOUT=true, as in the tests: a cold function on a busy machine may exceed the deployed 10 s timeout',
    ],
    stop: async () => {
      db.destroy();
      await stack.stop();
    },
  };
}
