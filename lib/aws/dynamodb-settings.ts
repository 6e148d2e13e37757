// How every DynamoDB client of the service retries and times out: the SDK's (lib/store/client.ts)
// and the authorizer's light client (./light-dynamodb/) are configured from these same numbers.

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

/** Where a DynamoDB client connects: DynamoDB Local (dummy credentials) when an endpoint is set. */
export interface DynamoDbLocation {
  region: string;
  dynamodbEndpoint?: string | undefined;
}
