// The authorizer's light DynamoDB client against DynamoDB Local, side by side with the SDK's
// DocumentClient (what every other function uses): the same reads of the same items (every
// attribute type), the same Query pages, the same updates, the same errors.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbReader } from '../../lib/aws/dynamodb-reader.ts';
import { createLightDynamoDb } from '../../lib/aws/light-dynamodb/document-reader.ts';
import { loadConfig } from '../../lib/config/all.ts';
import { documentClientReader } from '../../lib/store/document-client-reader.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';

let deps: Dependencies;
let table: string;
let readers: Record<'sdk' | 'light', DynamoDbReader>;

beforeAll(() => {
  deps = testDependencies();
  table = deps.config.tableName;
  readers = { sdk: documentClientReader(deps.db), light: createLightDynamoDb(loadConfig(stackEnv())) };
});

/** Both readers' answers to the same request: the light one must equal the SDK's. */
async function both<T>(call: (reader: DynamoDbReader) => Promise<T>): Promise<{ sdk: T; light: T }> {
  const sdk = await call(readers.sdk);
  const light = await call(readers.light);
  return { sdk, light };
}

/** Both readers' errors for the same request. */
async function bothFail(call: (reader: DynamoDbReader) => Promise<unknown>) {
  const failure = async (reader: DynamoDbReader) => {
    try {
      await call(reader);
    } catch (error) {
      const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, status: e.$metadata?.httpStatusCode };
    }
    throw new Error('expected a failure');
  };
  return { sdk: await failure(readers.sdk), light: await failure(readers.light) };
}

// Values DynamoDB stores as written: numbers within its range and precision, non-empty sets.
const number = fc.oneof(
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.integer().map((n) => n / 1000),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
);
const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  number,
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ minLength: 1, maxLength: 16 }),
);
const set = fc.oneof(
  fc.uniqueArray(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 4 }).map((v) => new Set(v)),
  fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }).map((v) => new Set(v)),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, set, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  map: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 }),
}));
const attributes = fc.dictionary(
  fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/).filter((n) => n !== 'pk' && n !== 'sk'),
  value,
  { maxKeys: 6 },
);

describe('light client vs DocumentClient, on DynamoDB Local', () => {
  it('BatchGetItem: the same items, of every attribute type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attributes, { minLength: 1, maxLength: 5 }), async (generated) => {
        const pk = `LIGHT#${randomUUID()}`;
        const items = generated.map((attrs, i) => ({ ...attrs, pk, sk: `ITEM#${i}` }));
        for (const item of items) await deps.db.send(new PutCommand({ TableName: table, Item: item }));
        const keys = [...items.map(({ sk }) => ({ pk, sk })), { pk, sk: 'MISSING' }];
        const { sdk, light } = await both((r) => r.batchGet({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
        const bySk = (output: typeof sdk) => [...(output.Responses?.[table] ?? [])].sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
        expect(bySk(light)).toEqual(bySk(sdk));
        expect(bySk(light)).toHaveLength(items.length);
        expect(light.UnprocessedKeys).toEqual(sdk.UnprocessedKeys);
      }),
      { numRuns: 25 },
    );
  });

  it('Query: the same pages, LastEvaluatedKey included, followed to the end', async () => {
    const pk = `LIGHT#${randomUUID()}`;
    for (let i = 0; i < 7; i += 1) await deps.db.send(new PutCommand({ TableName: table, Item: { pk, sk: `ITEM#${i}`, n: i, tags: new Set(['a', `t${i}`]) } }));
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const { sdk, light } = await both((r) =>
        r.query({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': 'ITEM#' },
          Limit: 3,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      expect({ ...light, $metadata: undefined }).toEqual({ ...sdk, $metadata: undefined });
      startKey = light.LastEvaluatedKey;
      pages += 1;
    } while (startKey);
    expect(pages).toBe(3);
  });

  it('UpdateItem: the same new item, and the same refusal of a failed condition', async () => {
    const pks = { sdk: `LIGHT#${randomUUID()}`, light: `LIGHT#${randomUUID()}` };
    for (const pk of Object.values(pks)) await deps.db.send(new PutCommand({ TableName: table, Item: { pk, sk: 'TOKEN', lastUsedAt: 5, name: 'x' } }));
    const update = (reader: DynamoDbReader, pk: string, now: number) =>
      reader.update({
        TableName: table,
        Key: { pk, sk: 'TOKEN' },
        UpdateExpression: 'SET lastUsedAt = :now, #n = :name',
        ConditionExpression: 'attribute_exists(pk) AND lastUsedAt <= :cutoff',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':now': now, ':cutoff': now - 10, ':name': ['renamed', { deep: new Set([1.5, 2]) }] },
        ReturnValues: 'ALL_NEW',
      });
    const sdk = await update(readers.sdk, pks.sdk, 100);
    const light = await update(readers.light, pks.light, 100);
    expect({ ...light.Attributes, pk: undefined }).toEqual({ ...sdk.Attributes, pk: undefined });
    expect(light.Attributes).toMatchObject({ lastUsedAt: 100, name: ['renamed', { deep: new Set([1.5, 2]) }] });
    // Too soon: the condition fails, for both, with the error the stores recognise.
    const failed = await bothFail((r) => update(r, r === readers.sdk ? pks.sdk : pks.light, 105));
    expect(failed.light).toEqual({ name: 'ConditionalCheckFailedException', status: 400 });
    expect(failed.light).toEqual(failed.sdk);
  });

  it('errors: an unknown table and an invalid expression fail the same way', async () => {
    const unknown = await bothFail((r) => r.batchGet({ RequestItems: { 'no-such-table': { Keys: [{ pk: 'a', sk: 'b' }] } } }));
    expect(unknown.light).toEqual(unknown.sdk);
    expect(unknown.light.name).toBe('ResourceNotFoundException');
    const invalid = await bothFail((r) => r.query({ TableName: table, KeyConditionExpression: 'pk = :missing' }));
    expect(invalid.light).toEqual(invalid.sdk);
    expect(invalid.light.name).toBe('ValidationException');
  });

  it('refuses the legacy parameters it does not convert instead of sending them raw', async () => {
    await expect(readers.light.query({ TableName: table, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: ['x'] } } })).rejects.toThrow(
      /KeyConditions/,
    );
    await expect(readers.light.update({ TableName: table, Key: { pk: 'a', sk: 'b' }, AttributeUpdates: { a: { Action: 'PUT', Value: 1 } } })).rejects.toThrow(
      /AttributeUpdates/,
    );
  });
});
