// A short smoke run of the real `npm run load` script (3 connections, 3 seconds) against the test
// stack, through LOAD_URL and the stack's table: the mix runs, every kind is answered, the figures
// are printed, and the lost-write check finds the table consistent.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runLoadScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/load.ts', '--connections', '3', '--duration', '3', '--baseline', '0'],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 50_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run load', () => {
  it('drives the mix against a running API and finds no 5xx and no lost writes', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runLoadScript({
      LOAD_URL: inject('apiUrl'),
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: inject('tableName'),
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('PASSED: no 5xx, no connection errors, no lost writes');
    // The three connections start a third of the loop apart, so within their first requests every
    // kind but the loop's closing login is answered (set-up and the check log in anyway); the
    // overall row has percentiles.
    for (const kind of ['refresh', 'me', 'me \\(API token\\)', 'token create', 'token list', 'token delete']) {
      expect(stdout).toMatch(new RegExp(`^\\| ${kind} \\| [1-9]`, 'm'));
    }
    expect(stdout).toMatch(/^\| \*\*all\*\* \| [1-9][\d,]* \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| — \|$/m);
    expect(stdout).toMatch(/- table: 3 users, [1-9]\d* login sessions/);
    expect(stdout).toContain('3 of 3 last refresh tokens still refresh, 3 of 3 users still log in');
    expect(stdout).toContain('- no lost writes');
  });
});
