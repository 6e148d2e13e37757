// Runs the admin CLI as an operator does, as a child process (what `npx tsx scripts/admin.ts` runs,
// without npx's own start-up time), against the suite's stack unless `env` says otherwise.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The suite's table and local endpoints, as an operator's shell would set them for the local stack. */
export const suiteStackEnv = (): Record<string, string> => ({
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  TABLE_NAME: inject('tableName'),
  KMS_ENDPOINT: inject('kmsEndpoint'),
  KMS_KEY_ID: inject('kmsKeyId'),
  AWS_REGION: 'us-east-1',
});

export function runAdminCli(args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<AdminRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...suiteStackEnv(), ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
