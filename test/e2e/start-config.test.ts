// `npm start` checks the configuration before it starts anything: a bad value stops it at once with a
// message naming every bad variable, instead of a stack whose every request then fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { portsBeside } from '../support/ports-beside.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start with a bad configuration', () => {
  it('exits 1 before starting anything, naming each bad variable', () => {
    const ports = portsBeside(60);
    const run = spawnSync('npm', ['start'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        PORT: String(ports.api),
        DYNAMODB_PORT: String(ports.dynamo),
        SES_PORT: String(ports.ses),
        ACCESS_TOKEN_TTL: 'an hour',
        LOGIN_MAX_FAILURES: '0',
        CORS_ORIGINS: 'not a url',
      },
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(1);
    for (const name of ['ACCESS_TOKEN_TTL', 'LOGIN_MAX_FAILURES', 'CORS_ORIGINS']) expect(output).toContain(name);
    // Nothing came up: no banner, no Java, no bundling.
    expect(output).not.toContain('Auth service running');
    expect(output).not.toMatch(/DynamoDB Local|serverless-offline|esbuild/i);
  }, 90_000);
});
