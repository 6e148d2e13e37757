// Creates the local DynamoDB table from the AuthTable definition in serverless.yml, so the local
// table can never drift from the one CloudFormation deploys.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { load } from 'js-yaml';

const SERVERLESS_YML = fileURLToPath(new URL('../serverless.yml', import.meta.url));

/** CloudFormation properties that CreateTable takes under the same name and shape. */
const COPIED = ['BillingMode', 'AttributeDefinitions', 'KeySchema', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'ProvisionedThroughput'] as const;

/**
 * Properties left out locally: TableName is chosen by the caller; the rest are either applied after
 * creation (TTL) or protect production data and mean nothing (or get in the way) on DynamoDB Local.
 */
const IGNORED = new Set([
  'TableName',
  'TimeToLiveSpecification',
  'PointInTimeRecoverySpecification',
  'DeletionProtectionEnabled',
  'SSESpecification',
  'Tags',
  'TableClass',
  'ContributorInsightsSpecification',
  // Translated below: CloudFormation says only the view type, CreateTable also StreamEnabled.
  'StreamSpecification',
]);

type Properties = Record<string, unknown>;

/** The AuthTable's CloudFormation Properties, read fresh from serverless.yml. */
function authTableProperties(file = SERVERLESS_YML): Properties {
  const doc = load(readFileSync(file, 'utf8')) as { resources?: { Resources?: Record<string, { Properties?: Properties }> } };
  const properties = doc.resources?.Resources?.AuthTable?.Properties;
  if (!properties) throw new Error(`${file} has no resources.Resources.AuthTable.Properties`);
  return properties;
}

/** The CreateTable input for the table defined in serverless.yml, under the given name. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const properties = authTableProperties();
  // Fail loudly on a property this script does not know, rather than silently creating a local
  // table that differs from the deployed one.
  const unknown = Object.keys(properties).filter((key) => !IGNORED.has(key) && !(COPIED as readonly string[]).includes(key));
  if (unknown.length) {
    throw new Error(`serverless.yml AuthTable has properties scripts/local-table.ts does not handle: ${unknown.join(', ')}`);
  }
  const input: Properties = { TableName: tableName };
  for (const key of COPIED) if (properties[key] !== undefined) input[key] = properties[key];
  const stream = streamViewType();
  if (stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: stream };
  return input as unknown as CreateTableCommandInput;
}

/** The stream's view type from serverless.yml (security events are published from the stream), if any. */
export function streamViewType(): 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | undefined {
  const spec = authTableProperties().StreamSpecification as { StreamViewType?: string } | undefined;
  return spec?.StreamViewType as ReturnType<typeof streamViewType>;
}

/** The TTL attribute name from serverless.yml, or undefined when TTL is not enabled there. */
export function ttlAttributeName(): string | undefined {
  const spec = authTableProperties().TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  return spec?.Enabled ? spec.AttributeName : undefined;
}

/** A table kept from before the stream was declared (persistent local data) gets it now. */
async function ensureStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const wanted = streamViewType();
  if (!wanted) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  try {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: wanted } }));
  } catch (error) {
    // Another process may have turned it on between our describe and update.
    if (errorName(error) !== 'ValidationException') throw error;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Creates the table if it does not exist yet, waits until it is ACTIVE and turns TTL on.
 * Safe to call on every start: an existing table (persistent data) is left as it is.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await ensureStream(client, tableName);

  const attributeName = ttlAttributeName();
  if (!attributeName) return;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true } }));
  } catch (error) {
    // Another process may have enabled it between our describe and update.
    if (!(errorName(error) === 'ValidationException' && /already enabled/i.test((error as Error).message))) throw error;
  }
}
