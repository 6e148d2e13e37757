// `npm start` stops everything it started (DynamoDB Local's Java, the SES endpoint, serverless-offline
// and their children) when a wrapper sends SIGTERM to the npm process alone, and on Ctrl-C (SIGINT
// to the terminal's foreground process group); nothing keeps holding its ports.
import { describe, type ExpectStatic, it } from 'vitest';
import { waitUntil } from '../../scripts/wait-until.ts';
import { type NpmStart, startNpmStart } from '../support/npm-start.ts';
import { portsBeside } from '../support/ports-beside.ts';

// Generous: JVM start-up and bundling every function on a loaded 2-core CI machine.
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

describe.concurrent('npm start stops the whole local stack', () => {
  it('when a wrapper sends SIGTERM to the npm process', async ({ expect, onTestFinished }) => {
    const stack = await startNpmStart(portsBeside(20), { timeoutMs: START_MS });
    onTestFinished(() => stack.cleanUp());
    expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
    process.kill(stack.pid, 'SIGTERM');
    await expectAllStopped(expect, stack);
  }, START_MS + STOP_MS + 30_000);

  it('on Ctrl-C (SIGINT to its process group)', async ({ expect, onTestFinished }) => {
    const stack = await startNpmStart(portsBeside(30), { timeoutMs: START_MS });
    onTestFinished(() => stack.cleanUp());
    expect(stack.leftovers().some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);
    process.kill(-stack.pid, 'SIGINT');
    await expectAllStopped(expect, stack);
  }, START_MS + STOP_MS + 30_000);
});
