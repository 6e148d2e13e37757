// `npm start` stops everything it started (DynamoDB Local's Java, the SES endpoint, serverless-offline
// and their children), and frees its ports, however it is stopped: SIGTERM to the npm process (a
// wrapper), Ctrl-C (SIGINT to the terminal's foreground process group), npm killed before it can pass
// a signal on, and a wrapper that SIGKILLs the whole group right after its SIGTERM. The four stacks
// start one after another, each on ports of its own: a start-up is CPU-bound (bundling every
// function), so four side by side on 2 cores took as long in all (about 180 s) and each came near
// its timeout. On its empty data directory, the first one also serves a non-empty JWKS before
// anyone has logged in.
import { describe, type ExpectStatic, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../scripts/example-spa/demo-client.ts';
import { waitUntil } from '../../scripts/wait-until.ts';
import { type NpmStart, startNpmStart } from '../support/npm-start.ts';
import { portsBeside } from '../support/ports-beside.ts';

// Generous: JVM start-up and bundling every function on a slow 2-core CI machine (about 35 s on an idle one).
const START_MS = 240_000;
// Stopping waits up to a few seconds per process group before it SIGKILLs.
const STOP_MS = 60_000;

/** Waits until nothing it started runs and its ports are free; fails naming what is left. */
async function expectAllStopped(expect: ExpectStatic, stack: NpmStart): Promise<void> {
  try {
    await waitUntil('everything npm start started to stop', async () => stack.leftovers().length === 0 && (await stack.portsFree()), {
      timeoutMs: STOP_MS,
      intervalMs: 250,
    });
  } catch {
    // Name what is left (the processes, or the ports), with what npm start printed.
    expect(stack.leftovers(), stack.output().slice(-3000)).toEqual([]);
    expect(await stack.portsFree(), 'a port of the stopped stack is still taken').toBe(true);
  }
}

describe('npm start stops the whole local stack', () => {
  it(
    'when a wrapper sends SIGTERM to the npm process',
    async ({ expect, onTestFinished }) => {
      const stack = await startNpmStart(portsBeside(20), { timeoutMs: START_MS });
      onTestFinished(() => stack.cleanUp());
      expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
      // On an empty data directory, before any login: the first key and the next one are published.
      const jwks = (await (await fetch(`${stack.apiUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys, stack.output().slice(-3000)).toHaveLength(2);
      // The example app: announced, served on PORT+3, pointed at this issuer and its demo client.
      expect(stack.output()).toContain(stack.exampleUrl);
      const page = await fetch(stack.exampleUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="./app.js">');
      expect(await (await fetch(`${stack.exampleUrl}config.json`)).json()).toEqual({ issuer: stack.apiUrl, clientId: DEMO_CLIENT_ID });
      // Its client is registered with the example's URL, and local dynamic registration is open.
      const client = await stack.oauthClient(DEMO_CLIENT_ID);
      expect(client).toMatchObject({ type: 'public', firstParty: true, redirectUris: [stack.exampleUrl], postLogoutRedirectUris: [stack.exampleUrl] });
      expect(stack.output()).toContain('dynamic client registration: open');
      process.kill(stack.pid, 'SIGTERM');
      await expectAllStopped(expect, stack);
    },
    START_MS + STOP_MS + 30_000,
  );

  it(
    'on Ctrl-C (SIGINT to its process group)',
    async ({ expect, onTestFinished }) => {
      const stack = await startNpmStart(portsBeside(30), { timeoutMs: START_MS });
      onTestFinished(() => stack.cleanUp());
      expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
      process.kill(-stack.pid, 'SIGINT');
      await expectAllStopped(expect, stack);
    },
    START_MS + STOP_MS + 30_000,
  );

  it(
    'when npm is killed outright and cannot pass a signal on',
    async ({ expect, onTestFinished }) => {
      const stack = await startNpmStart(portsBeside(40), { timeoutMs: START_MS });
      onTestFinished(() => stack.cleanUp());
      expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
      process.kill(stack.pid, 'SIGKILL');
      await expectAllStopped(expect, stack);
    },
    START_MS + STOP_MS + 30_000,
  );

  it(
    'when a wrapper SIGKILLs the whole group right after its SIGTERM',
    async ({ expect, onTestFinished }) => {
      const stack = await startNpmStart(portsBeside(50), { timeoutMs: START_MS });
      onTestFinished(() => stack.cleanUp());
      expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
      process.kill(stack.pid, 'SIGTERM');
      process.kill(-stack.pid, 'SIGKILL');
      await expectAllStopped(expect, stack);
    },
    START_MS + STOP_MS + 30_000,
  );
});
