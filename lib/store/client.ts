// The one place that builds the DynamoDB client. Locally it points at DynamoDB Local with dummy
// credentials, so no AWS account is needed; in AWS the Lambda role's credentials are used.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';

export type Db = DynamoDBDocumentClient;

export function createDb(config: Pick<Config, 'region' | 'dynamodbEndpoint'>): Db {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: 4,
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
