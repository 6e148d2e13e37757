// The store's own retries, all in one place: an attempt that lost a race (a read-then-conditional-
// write that another writer got in between, a transaction DynamoDB cancelled for a conflict, a
// BatchGet/BatchWrite that left items unprocessed) is tried again under a named policy. The AWS
// clients retry network errors and throttling themselves; these loops sit above them and retry
// only what the clients do not. When a policy runs out, the table is too contended or throttled to
// finish now: DependencyUnavailableError, which clients hear as 503 with Retry-After.
// Free of the SDK: the authorizer's reads (./token-reads.ts) use it too.
import { DependencyUnavailableError } from '../domain/errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Milliseconds to wait after failed attempt number `attempt` (1-based), given a draw in [0, 1). */
  backoffMs(attempt: number, random: number): number;
}

/** No wait: the next attempt reads afresh, and the race it lost is already over. */
const noWait = (_attempt: number, _random: number) => 0;
/** A random wait growing with each attempt, so racing writers spread out. */
const jittered = (stepMs: number) => (attempt: number, random: number) => random * stepMs * attempt;
/** A fixed wait growing with each attempt: the client has already backed off with jitter. */
const linear = (stepMs: number) => (attempt: number) => stepMs * attempt;

export const RETRY_POLICIES = {
  /** A read-then-conditional-write whose condition found the item changed since the read. */
  optimistic: { attempts: 5, backoffMs: noWait },
  /** Several writers each counting the same user's items (API token creation): spread them out. */
  contended: { attempts: 8, backoffMs: jittered(15) },
  /** A transaction DynamoDB cancelled, undecided, because another touched the same item at that moment. */
  transactionConflict: { attempts: 4, backoffMs: jittered(20) },
  /** BatchGetItem / BatchWriteItem leaving items unprocessed (throttling the client already backed off from). */
  unprocessedItems: { attempts: 4, backoffMs: linear(25) },
} as const satisfies Record<string, RetryPolicy>;

/** What an attempt returns to ask for another: why, kept as the cause if none is left. */
export class TryAgain {
  constructor(readonly reason: unknown) {}
}

export const tryAgain = (reason: unknown) => new TryAgain(reason);

/** How retries wait; tests inject their own. */
export interface RetryTiming {
  sleep(ms: number): Promise<void>;
  random(): number;
}

const realTiming: RetryTiming = {
  sleep: (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()),
  random: Math.random,
};

/**
 * Runs `attempt` until it returns something other than TryAgain, at most `policy.attempts` times,
 * waiting as the policy says in between. Errors `attempt` throws are not retried here.
 * @throws DependencyUnavailableError with the last TryAgain's reason as cause, when no attempt is left.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T | TryAgain>,
  timing: RetryTiming = realTiming,
): Promise<T> {
  let reason: unknown;
  for (let attemptNumber = 1; attemptNumber <= policy.attempts; attemptNumber += 1) {
    if (attemptNumber > 1) await timing.sleep(policy.backoffMs(attemptNumber - 1, timing.random()));
    const outcome = await attempt(attemptNumber);
    if (!(outcome instanceof TryAgain)) return outcome;
    reason = outcome.reason;
  }
  throw new DependencyUnavailableError(reason);
}
