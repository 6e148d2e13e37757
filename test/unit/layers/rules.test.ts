// The layer rules (.dependency-cruiser.cjs) catch what they are for: run on a small tree that breaks
// each of them once (test/fixtures/layers/lib), they report exactly those breaks and nothing that is
// allowed, so `npm run layers` passing on lib/ means something.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/layers', import.meta.url));

/** The rule name and "from → to" of every violation dependency-cruiser reports. */
function violations(cwd: string, folders: string[]): string[] {
  const run = (): string => {
    try {
      return execFileSync(`${ROOT}/node_modules/.bin/depcruise`, [...folders, '--config', `${ROOT}/.dependency-cruiser.cjs`, '--output-type', 'json'], {
        cwd,
        encoding: 'utf8',
        // The JSON report of the real tree is over a megabyte, execFileSync's default buffer.
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      // It exits non-zero when it finds violations; the report is still on stdout.
      return (error as { stdout: string }).stdout;
    }
  };
  const report = JSON.parse(run()) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the layer rules', () => {
  it('report an upward import, an import cycle and a file outside the layers, and nothing else', () => {
    const found = violations(FIXTURE, ['lib']);
    expect(found).toContain('layer:lib/store: lib/store/upward.ts → lib/http/status.ts');
    expect(found.some((line) => line.startsWith('no-circular: lib/domain/'))).toBe(true);
    expect(found.some((line) => line.startsWith('no-unlayered-lib: lib/stray.ts'))).toBe(true);
    // lib/use-cases/ok.ts imports downward: allowed.
    expect(found.filter((line) => line.includes('use-cases/ok.ts →'))).toEqual([]);
  }, 60_000);

  it('find nothing in the real tree', () => {
    expect(violations(ROOT, ['lib', 'functions'])).toEqual([]);
  }, 60_000);
});
