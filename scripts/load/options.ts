// The load test's settings: environment variables, each overridable by a flag of the same meaning
// (`npm run load -- --connections 3 --duration 3`), validated up front with a message naming the
// setting.
import { parseArgs } from 'node:util';
import { LOCAL_TABLE_NAME } from '../local-data.ts';

export interface LoadOptions {
  connections: number;
  /** Seconds of load, after set-up and before the drain. */
  durationSeconds: number;
  /** Seconds of the same mix before the measured window (checked, but not in the figures). */
  warmupSeconds: number;
  /** Users to register; one per connection, each connection acting as its own user. */
  users: number;
  /** Seconds of the closing serverless-offline baseline (a request that does no work); 0 skips it. */
  baselineSeconds: number;
  /** Seconds autocannon waits for an answer before counting a timeout. */
  timeoutSeconds: number;
  /** An already running API (`npm start`), or undefined to start an own stack. */
  targetUrl?: string;
  /** The table to check (LOAD_URL only; the own stack's otherwise). */
  dynamodbEndpoint: string;
  tableName: string;
  region: string;
  /** Ports of the own stack. */
  ports: { api: number; dynamodb: number; ses: number };
  /** Forward the own stack's output. */
  stackLog: boolean;
}

export const USAGE = `npm run load [-- options]          (each flag also as an environment variable)

  --connections N   concurrent connections, one user each        LOAD_CONNECTIONS  (50)
  --duration S      seconds of measured load                      LOAD_DURATION     (30)
  --warmup S        seconds of the same mix before, not measured  LOAD_WARMUP       (0)
  --baseline S      seconds of the serverless-offline baseline    LOAD_BASELINE     (5; 0 = none)
  --url URL         an API already running, e.g. http://localhost:3000          LOAD_URL
                    its table: DYNAMODB_ENDPOINT (http://127.0.0.1:8000), TABLE_NAME (${LOCAL_TABLE_NAME})
  LOAD_TIMEOUT=S    seconds without an answer before a request is a timeout (10, the Lambda timeout)

Without --url it starts its own in-memory stack: LOAD_API_PORT (3450; Lambda port +2),
LOAD_DYNAMODB_PORT (8450), LOAD_SES_PORT (8455); LOAD_STACK_LOG=1 shows its output.`;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** Reads the settings from `argv` (flags win) and `env`; throws an Error naming a bad one, or returns 'help'. */
export function loadOptions(argv: string[], env: NodeJS.ProcessEnv): LoadOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', short: 'c' },
      duration: { type: 'string', short: 'd' },
      baseline: { type: 'string' },
      warmup: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';

  const connections = integer('--connections / LOAD_CONNECTIONS', values.connections ?? env.LOAD_CONNECTIONS, 50, 1, 1000);
  const targetUrl = (values.url ?? env.LOAD_URL)?.trim().replace(/\/+$/, '') || undefined;
  if (targetUrl && !/^https?:\/\/[^/]+$/.test(targetUrl)) throw new Error(`--url / LOAD_URL must be a base URL like http://localhost:3000, got "${targetUrl}"`);
  const ports = {
    api: integer('LOAD_API_PORT', env.LOAD_API_PORT, 3450, 1, 65_533),
    dynamodb: integer('LOAD_DYNAMODB_PORT', env.LOAD_DYNAMODB_PORT, 8450, 1, 65_535),
    ses: integer('LOAD_SES_PORT', env.LOAD_SES_PORT, 8455, 1, 65_535),
  };
  return {
    connections,
    durationSeconds: integer('--duration / LOAD_DURATION', values.duration ?? env.LOAD_DURATION, 30, 1, 3600),
    users: connections,
    warmupSeconds: integer('--warmup / LOAD_WARMUP', values.warmup ?? env.LOAD_WARMUP, 0, 0, 600),
    baselineSeconds: integer('--baseline / LOAD_BASELINE', values.baseline ?? env.LOAD_BASELINE, 5, 0, 600),
    timeoutSeconds: integer('LOAD_TIMEOUT', env.LOAD_TIMEOUT, 10, 1, 600),
    ...(targetUrl ? { targetUrl } : {}),
    // Only meaningful with LOAD_URL: the own stack's table is known. The defaults are npm start's.
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT?.trim() || `http://127.0.0.1:${env.DYNAMODB_PORT?.trim() || 8000}`,
    tableName: env.TABLE_NAME?.trim() || LOCAL_TABLE_NAME,
    region: env.AWS_REGION?.trim() || 'us-east-1',
    ports,
    stackLog: env.LOAD_STACK_LOG === '1',
  };
}
