// DynamoDbReader without the AWS SDK, for the Lambda authorizer (lib/wiring/authorizer.ts):
// the DocumentClient's conversions (./attribute-values.ts) over DynamoDB's JSON protocol
// (./http.ts). Inputs and outputs are the DocumentClient's own, so the store code in
// lib/store/token-reads.ts runs unchanged on either; test/integration/light-dynamodb.test.ts runs
// the same requests through both against DynamoDB Local and expects the same answers. Failures
// left after the retries are converted as the SDK-backed clients convert them (../dependency-failures.ts).
import { convertingFailures } from '../dependency-failures.ts';
import type { DynamoDbReader } from '../dynamodb-reader.ts';
import type { DynamoDbLocation } from '../dynamodb-settings.ts';
import { fromWireItem, type Item, toWireItem, type WireItem } from './attribute-values.ts';
import { type DynamoDbHttp, dynamoDbHttp, environmentCredentials } from './http.ts';

type Wire = Record<string, unknown>;

const mapValues = <T, U>(record: Record<string, T>, convert: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, convert(value)]));

/** The legacy parameters (KeyConditions, QueryFilter, AttributeUpdates, Expected) are not converted: refused, not sent raw. */
function refuseLegacy(input: object, names: string[]): void {
  const used = names.filter((name) => (input as Wire)[name] !== undefined);
  if (used.length) throw new Error(`The light DynamoDB client does not support ${used.join(', ')}; use expressions`);
}

/** `field` converted with `convert` when present; absent stays absent, as in the DocumentClient. */
function converted<T, U>(record: Wire, field: string, convert: (value: T) => U): Wire {
  return record[field] === undefined ? {} : { [field]: convert(record[field] as T) };
}

/** A BatchGetItem KeysAndAttributes entry, its Keys converted. */
const keysToWire = (entry: Wire) => ({ ...entry, ...converted(entry, 'Keys', (keys: Item[]) => keys.map(toWireItem)) });
const keysFromWire = (entry: Wire) => ({ ...entry, ...converted(entry, 'Keys', (keys: WireItem[]) => keys.map(fromWireItem)) });

export function lightDynamoDbReader(client: DynamoDbHttp): DynamoDbReader {
  const http = { call: (operation: string, input: object) => convertingFailures(() => client.call(operation, input)) };
  return {
    async batchGet(input) {
      const output = await http.call('BatchGetItem', {
        ...input,
        ...converted(input as Wire, 'RequestItems', (tables: Record<string, Wire>) => mapValues(tables, keysToWire)),
      });
      return {
        ...output,
        ...converted(output, 'Responses', (tables: Record<string, WireItem[]>) => mapValues(tables, (items) => items.map(fromWireItem))),
        ...converted(output, 'UnprocessedKeys', (tables: Record<string, Wire>) => mapValues(tables, keysFromWire)),
      };
    },

    async query(input) {
      refuseLegacy(input, ['KeyConditions', 'QueryFilter']);
      const output = await http.call('Query', {
        ...input,
        ...converted(input as Wire, 'ExpressionAttributeValues', toWireItem),
        ...converted(input as Wire, 'ExclusiveStartKey', toWireItem),
      });
      return {
        ...output,
        ...converted(output, 'Items', (items: WireItem[]) => items.map(fromWireItem)),
        ...converted(output, 'LastEvaluatedKey', fromWireItem),
      };
    },

    async update(input) {
      refuseLegacy(input, ['AttributeUpdates', 'Expected']);
      const output = await http.call('UpdateItem', {
        ...input,
        ...converted(input as Wire, 'Key', toWireItem),
        ...converted(input as Wire, 'ExpressionAttributeValues', toWireItem),
      });
      return { ...output, ...converted(output, 'Attributes', fromWireItem) };
    },
  };
}

/**
 * The authorizer's client, configured as createDb (lib/store/client.ts) configures the SDK's:
 * DynamoDB Local with dummy credentials when DYNAMODB_ENDPOINT is set, else the region's endpoint
 * with the Lambda role's credentials from the environment.
 */
export function createLightDynamoDb(config: DynamoDbLocation, env: NodeJS.ProcessEnv = process.env): DynamoDbReader {
  // The SDK would honour these and reach another endpoint; silently ignoring them could break a
  // FIPS requirement, so the authorizer refuses to start instead.
  const unsupported = ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB'].filter(
    (name) => env[name] && env[name] !== 'false',
  );
  if (unsupported.length) {
    throw new Error(`The authorizer's DynamoDB client does not support ${unsupported.join(', ')}; set DYNAMODB_ENDPOINT to the endpoint instead`);
  }
  const http = config.dynamodbEndpoint
    ? dynamoDbHttp({ region: config.region, endpoint: config.dynamodbEndpoint, credentials: () => ({ accessKeyId: 'local', secretAccessKey: 'local' }) })
    : dynamoDbHttp({ region: config.region, credentials: environmentCredentials(env) });
  return lightDynamoDbReader(http);
}
