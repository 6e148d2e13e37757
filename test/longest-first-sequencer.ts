// Vitest sequencer (vitest.config.ts): the order in which the suite's files are handed to its workers.
// Files that need no stack go first, so they run while the stack starts in the background
// (test/global-setup.ts); then the stack files, longest first, so that no long file starts last
// while the other worker sits idle. CI has no vitest cache, so the durations come from the table
// below; a local run with a cache uses the durations it measured last.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file took in a full run on a 2-core machine (one worker), rounded. Only the
 * order matters: a file missing here counts as DEFAULT_SECONDS. Update it when a file becomes slow.
 */
export const KNOWN_SECONDS: Record<string, number> = {
  'npm-start:test/e2e/start-stop.test.ts': 98,
  'property:test/property/compat-accounts.property.test.ts': 59,
  'property:test/property/native-accounts.property.test.ts': 50,
  'property:test/property/native-tokens.property.test.ts': 48,
  'e2e:test/e2e/enumeration.test.ts': 44,
  'e2e:test/e2e/sessions.test.ts': 39,
  'integration:test/integration/sessions.test.ts': 26,
  'deploy:test/deploy/template.test.ts': 23,
  'property:test/property/e2e.property.test.ts': 21,
  'e2e:test/e2e/discovery.test.ts': 21,
  'property:test/property/compat-opentact.property.test.ts': 18,
  'e2e:test/e2e/compat.test.ts': 18,
  'unit:test/unit/config/properties.test.ts': 17,
  'browser:test/browser/oidc-sessions.test.ts': 15,
  'integration:test/integration/password-reset.test.ts': 14,
  'integration:test/integration/faults-sdk-errors.test.ts': 14,
  'integration:test/integration/admin.test.ts': 14,
  'e2e:test/e2e/oauth-token.test.ts': 13,
  'integration:test/integration/faults-dynamodb-outage.test.ts': 12,
  'unit:test/unit/config/independence.test.ts': 12,
  'integration:test/integration/authorizer-light-client.test.ts': 12,
  'e2e:test/e2e/service-token-parents.test.ts': 12,
  'integration:test/integration/authorizer.test.ts': 11,
  'integration:test/integration/login-throttle.test.ts': 11,
  'unit:test/unit/config/check-config.test.ts': 9,
};

/** A file not in the table: a new file is more likely an e2e or browser test than a slow one. */
const DEFAULT_SECONDS = 3;

/** The projects whose files need no stack (vitest.config.ts). */
const WITHOUT_STACK = new Set(['unit', 'deploy']);

interface ResultsCache {
  getFileTestResults(key: string): { duration: number; failed: boolean } | undefined;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = (this.ctx as unknown as { cache: ResultsCache }).cache;
    const seconds = (file: TestSpecification): number => {
      const key = `${file.project.name}:${file.moduleId.slice(this.ctx.config.root.length + 1)}`;
      const cached = cache.getFileTestResults(key);
      // A failed file may have stopped early: its duration says little.
      if (cached && !cached.failed) return cached.duration / 1000;
      return KNOWN_SECONDS[key] ?? DEFAULT_SECONDS;
    };
    const stackless = (file: TestSpecification) => (WITHOUT_STACK.has(file.project.name) ? 0 : 1);
    return [...files].sort((a, b) => stackless(a) - stackless(b) || seconds(b) - seconds(a));
  }
}
