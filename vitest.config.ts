// Vitest configuration: one project per kind of test. Only the projects that talk to the service
// start the local stack (test/global-setup.ts, shared by all of them), so `vitest run --project unit`
// needs no Java, no port and no server.
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/longest-first-sequencer.ts';

/** The projects that need the local stack (DynamoDB Local, aws-ses-v2-local, serverless-offline). */
const STACK_PROJECTS = [
  'integration', // use cases and stores on DynamoDB Local and SES, and their faults
  'e2e', // HTTP requests through serverless-offline
  'property', // thousands of generated events against the in-process handlers, on DynamoDB Local
  'browser', // the hosted pages in Debian's Chromium
];

const STACK_SETUP = 'test/global-setup.ts';
/** Holds each stack test file until the stack, started in the background by STACK_SETUP, serves. */
const STACK_READY = 'test/support/stack-ready.ts';
/** Starts `npm start` four times, one after another: run alone (the npm-start project below). */
const NPM_START_ALONE = 'test/e2e/start-stop.test.ts';

/**
 * Two files at a time, even on 2 cores (vitest's default there is one): most stack test files spend
 * their time waiting on the stack's processes (serverless-offline, DynamoDB Local, Chromium, the
 * mail floor), not on their own CPU. TEST_MAX_WORKERS overrides it.
 */
const MAX_WORKERS = Number(process.env.TEST_MAX_WORKERS) || 2;

export default defineConfig({
  test: {
    // A hang detector, not a speed check: with two files at a time on two cores, a CPU-bound test
    // (fast-check properties, `serverless package`, argon2 at production cost) may take twice as long
    // as it does alone.
    testTimeout: 60_000,
    // Starting the stack (JVM, esbuild bundle, serverless-offline) takes a while on a cold machine.
    hookTimeout: 120_000,
    // Forks rather than threads: argon2 is a native module, and worker threads share one process.
    pool: 'forks',
    maxWorkers: MAX_WORKERS,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      // Everything outside the folders below is a unit test, so a test file in a new folder is run
      // (and fails loudly if it needs the stack) rather than silently left out.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...STACK_PROJECTS.map((name) => `test/${name}/**`), 'test/deploy/**'],
        },
      },
      ...STACK_PROJECTS.map((name) => ({
        extends: true as const,
        test: {
          name,
          include: [`test/${name}/**/*.test.ts`],
          exclude: name === 'e2e' ? [NPM_START_ALONE] : [],
          globalSetup: [STACK_SETUP],
          setupFiles: [STACK_READY],
        },
      })),
      // Four `npm start`s at once (four JVMs, four bundlings) take both cores: beside another file
      // they starved the suite's DynamoDB Local past its 2 s request limit (503s in the property
      // tests) and their own start-up limits. So this file runs alone, after all the others.
      {
        extends: true,
        test: { name: 'npm-start', include: [NPM_START_ALONE], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      // `serverless package` and the CloudFormation it writes: no stack, but a slow bundling step.
      { extends: true, test: { name: 'deploy', include: ['test/deploy/**/*.test.ts'] } },
    ],
  },
});
