// The AWS region a deployment command talks to when AWS_REGION is not set: resolved by the SDK's own
// chain (AWS_PROFILE's `region` in ~/.aws/config, ...), so the CLI behaves like the AWS CLI does.
// The client built here only resolves its configuration; it never sends a request.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export async function sdkDefaultRegion(): Promise<string | undefined> {
  const client = new DynamoDBClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined; // "Region is missing": the caller says what to set
  } finally {
    client.destroy();
  }
}
