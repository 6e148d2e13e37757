// Checks that scripts/local-table.ts builds the local table exactly as serverless.yml defines it,
// and that it can run again on an existing table (persistent data, a second `npm start`).
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTable, tableDefinition } from '../../scripts/local-table.ts';

const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: inject('dynamoEndpoint'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const tableName = `local-table-test-${randomUUID()}`;

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => {});
  client.destroy();
});

describe('tableDefinition', () => {
  it('takes the name from the caller and leaves out what DynamoDB Local cannot create', () => {
    const input = tableDefinition('some-table') as unknown as Record<string, unknown>;
    expect(input.TableName).toBe('some-table');
    for (const key of ['TimeToLiveSpecification', 'PointInTimeRecoverySpecification', 'DeletionProtectionEnabled', 'SSESpecification']) {
      expect(input).not.toHaveProperty(key);
    }
  });
});

describe('ensureTable', () => {
  it('creates the table with generic keys, the gsi1 index and TTL on expiresAt, and can run twice', async () => {
    await ensureTable(client, tableName);
    await ensureTable(client, tableName);

    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.GlobalSecondaryIndexes).toHaveLength(1);
    expect(table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });

    const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('has created the table the API uses', async () => {
    const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: inject('tableName') }));
    expect(ttl?.TimeToLiveStatus).toBe('ENABLED');
  });
});
