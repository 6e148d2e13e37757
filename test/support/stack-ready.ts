// Setup file of the projects that use the stack (vitest.config.ts): holds the test file until the
// stack that test/global-setup.ts starts in the background serves, so no test meets a closed port.
import { inject } from 'vitest';
import { waitForStack } from './stack-status.ts';

// As long as the global setup could take before it started in the background (hookTimeout), and some.
await waitForStack(inject('stackStatusFile'), 240_000);
