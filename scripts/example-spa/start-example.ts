// Starts the example single-page app beside a running local stack: serves examples/spa/ and
// registers (or updates) its demo OAuth client in the stack's table, so the page can sign in at once.
import { loadConfig } from '../../lib/config/all.ts';
import { buildDependencies } from '../../lib/wiring/dependencies.ts';
import { DEMO_CLIENT_ID, ensureDemoClient } from './demo-client.ts';
import { type ExampleServer, startExampleServer } from './server.ts';

/** A running example app and the client it signs in as. */
export interface RunningExample extends ExampleServer {
  clientId: string;
  issuer: string;
}

/**
 * @param env the environment the stack's functions run with (table, endpoints, PUBLIC_URL/ISSUER).
 * @param port the example's port; 0 picks a free one (tests).
 */
export async function startExample(options: { env: Record<string, string | undefined>; port: number; clientId?: string }): Promise<RunningExample> {
  const config = loadConfig(options.env);
  const clientId = options.clientId ?? DEMO_CLIENT_ID;
  const server = await startExampleServer({ port: options.port, config: { issuer: config.issuer, clientId } });
  const deps = buildDependencies(config);
  try {
    await ensureDemoClient(deps.oauthClients, server.url, Date.now(), clientId);
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    deps.db.destroy();
  }
  return { ...server, clientId, issuer: config.issuer };
}
