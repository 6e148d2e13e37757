// The service's own dependencies, built in the test process against the test stack's DynamoDB
// Local (started by test/global-setup.ts), with a clock the test controls.
import { inject } from 'vitest';
import { loadConfig } from '../../lib/config/all.ts';
import type { Clock } from '../../lib/support/clock.ts';
import { buildDependencies, type Dependencies } from '../../lib/wiring/dependencies.ts';

/** The environment the test stack's Lambdas run with, so tokens minted here are valid there. */
export function stackEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TABLE_NAME: inject('tableName'),
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    KMS_ENDPOINT: inject('kmsEndpoint'),
    KMS_KEY_ID: inject('kmsKeyId'),
    PUBLIC_URL: inject('apiUrl'),
    AWS_REGION: 'us-east-1',
    ...overrides,
  };
}

export function testDependencies(clock?: Clock, env: Record<string, string> = {}): Dependencies {
  return buildDependencies(loadConfig(stackEnv(env)), clock);
}

/** A fresh, empty table with the deployed definition, for tests that need to start from nothing. */
export async function freshTable(): Promise<string> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { ensureTable } = await import('../../scripts/local-table.ts');
  const tableName = `fresh-${Math.random().toString(36).slice(2, 10)}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: inject('dynamoEndpoint'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  client.destroy();
  return tableName;
}
