// When the light DynamoDB client tries a request again, and how long it waits first: the AWS SDK's
// "standard" retry mode as the SDK in this project's node_modules configures it for DynamoDB
// (@smithy/core retry, 2026 defaults): throttling and transient errors only (which those are:
// classifyError in ../transient-errors.ts, the list the SDK-backed adapters use too); "full jitter"
// backoff, a random wait in [0, base × 2^retry) capped at 20 s, with base 25 ms (1 s after
// throttling); and a retry quota, so an instance stops retrying while DynamoDB keeps failing
// instead of multiplying the load on it. Three attempts, as the SDK client is configured
// (DYNAMODB_MAX_ATTEMPTS in ../dynamodb-settings.ts), to stay inside the authorizer's 5 s timeout.
import { DYNAMODB_MAX_ATTEMPTS } from '../dynamodb-settings.ts';
import type { ErrorKind } from '../transient-errors.ts';

export const DEFAULT_MAX_ATTEMPTS = DYNAMODB_MAX_ATTEMPTS;
const BASE_DELAY_MS = 25;
const THROTTLING_BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;
const INITIAL_QUOTA = 500;
const RETRY_COST = 14;
const THROTTLING_RETRY_COST = 5;
const SUCCESS_REFILL = 1;

/** The wait before retry number `retry` (0 for the first retry): full jitter. */
export function backoffMs(kind: Exclude<ErrorKind, 'other'>, retry: number, random: () => number): number {
  const base = kind === 'throttling' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(base * 2 ** retry, MAX_DELAY_MS));
}

/**
 * One per client (so per Lambda instance): each retry spends from it, each success gives back what
 * its last retry cost (or a little, if it needed none). Empty means no more retries for now.
 */
export interface RetryQuota {
  /** The cost taken for one more retry, or undefined when the quota cannot pay for it. */
  take(kind: Exclude<ErrorKind, 'other'>): number | undefined;
  /** A request succeeded; `lastRetryCost` is what its final retry took, if it was retried. */
  succeeded(lastRetryCost: number | undefined): void;
  available(): number;
}

export function retryQuota(): RetryQuota {
  let capacity = INITIAL_QUOTA;
  return {
    take(kind) {
      const cost = kind === 'throttling' ? THROTTLING_RETRY_COST : RETRY_COST;
      if (capacity < cost) return undefined;
      capacity -= cost;
      return cost;
    },
    succeeded(lastRetryCost) {
      capacity = Math.min(INITIAL_QUOTA, capacity + (lastRetryCost ?? SUCCESS_REFILL));
    },
    available: () => capacity,
  };
}
