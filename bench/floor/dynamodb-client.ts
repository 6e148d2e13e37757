// The cold-start floor: a Lambda that only creates the DynamoDB document client, with the options
// lib/store/client.ts gives it, and nothing else. Every function that touches the table pays at
// least this at module initialisation; bench/cold-start.ts bundles it with the functions' own
// esbuild settings and reports each function's initialisation as a ratio to it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Read here rather than through lib/config so that the floor carries no code of ours.
const endpoint = process.env.DYNAMODB_ENDPOINT;

export const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: process.env.AWS_REGION,
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);

/** A Lambda must export a handler; the floor's answers nothing of interest. */
export async function handler(): Promise<{ statusCode: number }> {
  return { statusCode: 204 };
}
