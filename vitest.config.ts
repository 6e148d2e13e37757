// Vitest configuration: every test file shares one local stack started by test/global-setup.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Starting the stack (JVM, esbuild bundle, serverless-offline) takes a while on a cold machine.
    hookTimeout: 120_000,
    // Forks rather than threads: argon2 is a native module, and worker threads share one process.
    pool: 'forks',
  },
});
