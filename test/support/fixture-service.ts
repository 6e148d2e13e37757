// Runs serverless-offline on a fixture service (test/fixtures/<name>/serverless.yml) the way the
// local stack runs the real one: same preloads, same process-group handling (scripts/offline/).
import { fileURLToPath } from 'node:url';
import { startOffline } from '../../scripts/offline/start-offline.ts';
import { assertPortsFree } from '../../scripts/ports.ts';

/** A running fixture service. */
export interface FixtureService {
  /** Base URL, without a trailing slash. */
  url: string;
  /** The last lines serverless-offline printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts serverless-offline on test/fixtures/<name> and resolves once it serves. */
export async function startFixtureService(name: string, ports: { api: number; lambda: number }): Promise<FixtureService> {
  await assertPortsFree([
    { port: ports.api, purpose: `the ${name} fixture service`, envVar: 'TEST_PORT' },
    { port: ports.lambda, purpose: `the ${name} fixture's Lambda port`, envVar: 'TEST_PORT' },
  ]);
  const api = await startOffline({
    serviceDir: fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url)),
    apiPort: ports.api,
    lambdaPort: ports.lambda,
    // Quiet unless asked, like the suite's stack; failures quote the output anyway.
    log: process.env.TEST_STACK_LOG ? (line) => console.log(`[${name}] ${line}`) : undefined,
  });
  return { url: `http://localhost:${ports.api}`, output: () => api.tail(), stop: () => api.stop() };
}
