// scripts/check-config.ts, the check `npm start` runs before it starts anything: one line per bad
// variable and exit code 1, or exit code 0.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;

async function check(env: Record<string, string>) {
  // Only the variables given: the test must not depend on the caller's environment.
  const clean = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/check-config.ts'], { cwd: root, env: clean });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('scripts/check-config.ts', () => {
  it('prints each bad variable on its own line and exits 1', async () => {
    const result = await check({ PUBLIC_URL: 'http://localhost:3000', KEY_ENCRYPTION_SECRET: 'short', ACCESS_TOKEN_TTL: '5', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('  '))).toEqual([
      '  KEY_ENCRYPTION_SECRET must be at least 32 characters',
      '  ACCESS_TOKEN_TTL must be between 60 and 86400, got 5',
      '  LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
    ]);
  });

  it('exits 0 for a valid environment', async () => {
    const result = await check({ PUBLIC_URL: 'http://localhost:3000', KEY_ENCRYPTION_SECRET: 'x'.repeat(32) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
