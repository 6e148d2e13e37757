// Vitest global setup of the projects that talk to the service (vitest.config.ts): one in-memory
// local stack for the whole run, shared by those projects, on its own ports so tests can run while
// `npm start` is up; tests reach it through inject('apiUrl') and friends. The stack starts in the
// background, so the unit tests run meanwhile; test/support/stack-ready.ts holds each stack test
// file until it serves.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { LOCAL_KMS_ALIAS } from '../scripts/local-data.ts';
import { startLocalStack } from '../scripts/local-stack.ts';
import { portFromEnv as port } from '../scripts/ports.ts';
import type { StackStatus } from './support/stack-status.ts';

/** What every test that uses the stack may inject. */
interface Provided {
  apiUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  kmsEndpoint: string;
  kmsKeyId: string;
  /** The local security events viewer (its JSON at events.json). */
  eventsUrl: string;
}

interface Shared {
  /** Where it will be: the addresses are fixed by the TEST_* ports before anything starts. */
  provided: Provided;
  /** The file test/support/stack-ready.ts polls: absent while starting, then a {@link StackStatus}. */
  statusFile: string;
  /** Resolves with the teardown once started; never rejects (a failure is written to statusFile). */
  started: Promise<() => Promise<void>>;
  users: number;
}

// Vitest loads this file once per project (each project has its own module runner), all in the one
// main process: the stack is kept on globalThis so that the projects share one stack, and the last
// project's teardown stops it. Four stacks would fight over the same ports.
const SHARED = Symbol.for('auth-service.test-stack');
const registry = globalThis as { [SHARED]?: Shared };

/** Starts the stack in the background (or joins the one starting), hands its addresses to the project's tests, and returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  registry[SHARED] ??= startInBackground();
  const shared = registry[SHARED];
  shared.users += 1;
  for (const [key, value] of Object.entries(shared.provided)) project.provide(key as keyof Provided, value);
  project.provide('stackStatusFile', shared.statusFile);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete registry[SHARED];
    const stop = await shared.started;
    await stop();
  };
}

function startInBackground(): Shared {
  const statusDir = mkdtempSync(join(tmpdir(), 'auth-test-stack-'));
  const statusFile = join(statusDir, 'status.json');
  const report = (status: StackStatus) => {
    // Written whole, then renamed: a test file polling it never reads half of it.
    writeFileSync(`${statusFile}.tmp`, JSON.stringify(status));
    renameSync(`${statusFile}.tmp`, statusFile);
  };
  const { provided, options } = plannedStack();
  const started = startStack(provided, options).then(
    (stop) => {
      report({ ready: true });
      return async () => {
        await stop();
        rmSync(statusDir, { recursive: true, force: true });
      };
    },
    (error: unknown) => {
      // Every stack test then fails with this message; the unit tests still run.
      report({ ready: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return async () => rmSync(statusDir, { recursive: true, force: true });
    },
  );
  return { provided, statusFile, started, users: 0 };
}

/** The stack's ports and names from the environment, and the addresses its tests will use. */
function plannedStack(): {
  provided: Provided;
  options: { tableName: string; apiPort: number; dynamoPort: number; sesPort: number; kmsPort: number; eventsPort: number };
} {
  const tableName = process.env.TEST_TABLE_NAME || 'auth-test';
  const apiPort = port('TEST_PORT', 3100);
  const sesPort = port('TEST_SES_PORT', 8105);
  const dynamoPort = port('TEST_DYNAMODB_PORT', 8100);
  const kmsPort = port('TEST_KMS_PORT', sesPort + 1);
  const eventsPort = port('TEST_EVENTS_PORT', sesPort + 2);
  return {
    provided: {
      apiUrl: `http://localhost:${apiPort}`,
      dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
      sesEndpoint: `http://127.0.0.1:${sesPort}`,
      tableName,
      kmsEndpoint: `http://127.0.0.1:${kmsPort}`,
      kmsKeyId: LOCAL_KMS_ALIAS,
      eventsUrl: `http://127.0.0.1:${eventsPort}/`,
    },
    options: { tableName, apiPort, dynamoPort, sesPort, kmsPort, eventsPort },
  };
}

/** Starts the stack; resolves with its stop once it serves at the planned addresses. */
async function startStack(planned: Provided, ports: ReturnType<typeof plannedStack>['options']): Promise<() => Promise<void>> {
  const { tableName, apiPort, sesPort } = ports;
  // A fresh KMS key per run, in a temporary directory: tests must never depend on a committed key.
  const kmsDataDir = mkdtempSync(join(tmpdir(), 'auth-test-kms-'));
  const stack = await startLocalStack({
    dynamoPort: ports.dynamoPort,
    sesPort,
    kmsPort: ports.kmsPort,
    eventsPort: ports.eventsPort,
    kmsDataDir,
    apiPort,
    lambdaPort: port('TEST_LAMBDA_PORT', apiPort + 2),
    tableName,
    // Argon2 keeps the production parameters; ARGON2_* from the environment still pass through to the API.
    env: {
      // Its own esbuild work folder, so bundling for tests never rewrites the files a running
      // `npm start` (.esbuild) or another test run on other ports is serving.
      ESBUILD_WORK_FOLDER: process.env.ESBUILD_WORK_FOLDER || `.esbuild-test-${apiPort}`,
      // A cold function on a busy CI machine may take longer than its deployed timeout to load.
      OFFLINE_NO_TIMEOUT: 'true',
      // Every request of the suite comes from 127.0.0.1, one "source IP", so the per-IP budget would
      // throttle the suite itself; tests of that budget build their own configuration.
      IP_RATE_LIMIT_PER_MINUTE: process.env.IP_RATE_LIMIT_PER_MINUTE || '0',
      // Long enough to cover sending a mail on this machine, short enough for the suite.
      MAIL_REQUEST_MIN_MS: process.env.MAIL_REQUEST_MIN_MS || '150',
      // One browser origin allowed, so test/e2e/cors.test.ts sees both sides of the allowlist.
      CORS_ORIGINS: 'https://app.example.com',
      // RFC 7591 registration open to anyone, as `npm start` runs it: the OpenID flow tests register their clients.
      OAUTH_DYNAMIC_REGISTRATION: 'open',
    },
    // Request logs would drown the test report; failures quote the stack's last output anyway.
    quiet: !process.env.TEST_STACK_LOG,
    portEnvVars: {
      dynamoPort: 'TEST_DYNAMODB_PORT',
      sesPort: 'TEST_SES_PORT',
      kmsPort: 'TEST_KMS_PORT',
      apiPort: 'TEST_PORT',
      lambdaPort: 'TEST_LAMBDA_PORT',
      eventsPort: 'TEST_EVENTS_PORT',
    },
  }).catch((error: unknown) => {
    rmSync(kmsDataDir, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await stack.stop();
    rmSync(kmsDataDir, { recursive: true, force: true });
  };
  // The tests were handed the planned addresses before the start: they must be the real ones.
  const actual: Provided = {
    apiUrl: stack.apiUrl,
    dynamoEndpoint: stack.dynamoEndpoint,
    sesEndpoint: stack.sesEndpoint,
    tableName,
    kmsEndpoint: stack.kmsEndpoint,
    kmsKeyId: stack.kmsKeyId,
    eventsUrl: stack.eventsUrl,
  };
  if (JSON.stringify(actual) !== JSON.stringify(planned)) {
    await stop();
    throw new Error(`The test stack serves elsewhere than planned: ${JSON.stringify(actual)} vs ${JSON.stringify(planned)}`);
  }
  // Tests would only see "connection refused"; say which part died and what it printed last.
  void stack.died.then((message) => console.error(`\nThe test stack broke down: ${message}\n`));
  return stop;
}
