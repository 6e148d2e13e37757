// The service of test/support/service-handlers.ts with a fault injector on its DynamoDB client and
// SES unreachable, built fresh for each test: the SDK's retry budget is per client, and a run of
// injected failures drains it (by design: during an outage calls stop retrying), which would make a
// later test's "the SDK retries this" depend on the tests before it.

import { afterEach, beforeEach } from 'vitest';
import type { AuthorizerHandler } from '../../lib/auth/authorizer.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { stackEnv } from './deps.ts';
import { closedPort } from './fake-endpoints.ts';
import { type FaultInjector, injectFaults } from './fault-injection.ts';
import { captureLogs, type LogCapture } from './log-capture.ts';
import { CHEAP_ARGON2, type Handlers, loadService } from './service-handlers.ts';

export interface FaultyService {
  handlers: Handlers;
  /** The authorizer's decision on the handlers' own SDK client, so injected faults reach it. */
  authorizer: AuthorizerHandler;
  deps: Dependencies;
  faults: FaultInjector;
  logs: LogCapture;
}

/** The test stack's environment with SES on a closed port; one per test file. */
let env: Promise<Record<string, string>> | undefined;

/** Loads the handlers afresh, injects faults into their DynamoDB client and captures the logs (call in beforeEach). */
export async function startFaultyService(): Promise<FaultyService> {
  env ??= closedPort().then((port) =>
    stackEnv({ ...CHEAP_ARGON2, SES_ENDPOINT: `http://127.0.0.1:${port}`, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0' }),
  );
  const { handlers, sdkAuthorizer, deps } = await loadService(await env);
  return { handlers, authorizer: sdkAuthorizer, deps, faults: injectFaults(deps.db), logs: captureLogs() };
}

/** Stops capturing the logs and closes the service's client (call in afterEach). */
export function stopFaultyService(service: Pick<FaultyService, 'deps' | 'logs'>): void {
  service.logs.restore();
  service.deps.db.destroy();
}

/**
 * A fresh faulty service for every test of the calling describe block: the returned object's fields
 * are replaced before each test, and the service is stopped after it.
 */
export function useFaultyService(): FaultyService {
  const service = {} as FaultyService;
  beforeEach(async () => {
    Object.assign(service, await startFaultyService());
  });
  afterEach(() => stopFaultyService(service));
  return service;
}
