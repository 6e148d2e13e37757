// The one place that builds the DynamoDB client. Locally it points at DynamoDB Local with dummy
// credentials, so no AWS account is needed; in AWS the Lambda role's credentials are used.
//
// Faults: the SDK retries throttling, 5xx answers and network errors itself, with jittered
// exponential backoff, and each attempt is bounded in time, so an unreachable or hanging endpoint
// fails within seconds instead of holding the request until the Lambda timeout (10 s; 5 s for the
// authorizer). What still fails is answered 503 with Retry-After (lib/http/problem.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config/all.ts';

export type Db = DynamoDBDocumentClient;

/**
 * Attempts per call, the first included. Standard retry mode waits a random 0–25·2ⁿ ms after a
 * network error or a 5xx and 0–1000·2ⁿ ms after throttling, and its per-client retry budget stops
 * retrying during a long outage, so calls then fail at once. Three attempts (the SDK's DynamoDB
 * default is four) keep a throttled call under about 3 s of backoff, inside the authorizer's 5 s.
 */
export const DYNAMODB_MAX_ATTEMPTS = 3;

/**
 * Per attempt. DynamoDB answers in milliseconds; a TCP connection that takes a second is not
 * coming. The request timeout (connection included) is looser, for DynamoDB Local on a busy
 * machine, and because a write whose answer times out may have been applied: the retry of a
 * conditional write then fails its condition (transactions are safe: the SDK reuses their
 * ClientRequestToken). Worst cases per call: refused ≈ 0.1 s, an address that drops packets
 * ≈ 3 × 1 s, an endpoint that accepts and never answers ≈ 3 × 2 s. `throwOnRequestTimeout` is
 * needed: without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
 */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } as const;

export function createDb(config: Pick<Config, 'region' | 'dynamodbEndpoint'>): Db {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    retryMode: 'standard',
    // The options object, not a NodeHttpHandler instance: the SDK builds its own Node handler from
    // it (keep-alive agent included), so we need not depend on @smithy/node-http-handler directly.
    requestHandler: { ...DYNAMODB_TIMEOUTS },
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
