// The one place that builds the DynamoDB client. Locally it points at DynamoDB Local with dummy
// credentials, so no AWS account is needed; in AWS the Lambda role's credentials are used.
//
// Faults: the SDK retries throttling, 5xx answers and network errors itself, with jittered
// exponential backoff, and each attempt is bounded in time (lib/aws/dynamodb-settings.ts), so an
// unreachable or hanging endpoint fails within seconds instead of holding the request until the
// Lambda timeout (10 s; 5 s for the authorizer). What still fails for a transient reason leaves
// this client as DependencyUnavailableError (lib/aws/dependency-failures.ts), answered 503 with
// Retry-After; conditional-check failures and cancelled transactions reach the store unchanged.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { convertTransientFailures } from '../aws/dependency-failures.ts';
import { DYNAMODB_MAX_ATTEMPTS, DYNAMODB_TIMEOUTS, type DynamoDbLocation } from '../aws/dynamodb-settings.ts';

export type Db = DynamoDBDocumentClient;

export { DYNAMODB_MAX_ATTEMPTS, DYNAMODB_TIMEOUTS };

export function createDb(config: DynamoDbLocation): Db {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    retryMode: 'standard',
    // The options object, not a NodeHttpHandler instance: the SDK builds its own Node handler from
    // it (keep-alive agent included), so we need not depend on @smithy/node-http-handler directly.
    requestHandler: { ...DYNAMODB_TIMEOUTS },
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // On the DocumentClient, which shares its client's middleware stack: every command goes through it.
  return convertTransientFailures(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }));
}
