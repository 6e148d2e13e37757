// The one conversion from an AWS client's failure to the domain's DependencyUnavailableError: what
// remains after the client's retries and is on the transient list (./transient-errors.ts) becomes
// DependencyUnavailableError with the original as its cause (the log keeps it); everything else,
// conditional-check failures and cancelled transactions included, passes unchanged to the store
// code that interprets it. The layers above never need to know an AWS error name.
import { DependencyUnavailableError } from '../domain/errors.ts';
import { isTransientFailure } from './transient-errors.ts';

/** Seconds a client should wait before trying again (RFC 9110 Retry-After); the client has already backed off. */
export const RETRY_AFTER_SECONDS = 1;

/** `error` as the layers above should see it. */
export function asDependencyFailure(error: unknown): unknown {
  return isTransientFailure(error) ? new DependencyUnavailableError(error, RETRY_AFTER_SECONDS) : error;
}

/** Runs `call`, converting what it throws. */
export async function convertingFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asDependencyFailure(error);
  }
}

/** The part of an AWS SDK v3 client this needs (typed here, so this file loads nothing of the SDK). */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: never) => Promise<unknown>) => (args: never) => Promise<unknown>,
      options: { step: 'initialize'; priority: 'high'; name: string },
    ): void;
  };
}

/**
 * Adds the conversion to an SDK client (or a DynamoDB DocumentClient, which shares its client's
 * stack) as its outermost middleware: it sees each call's final outcome, after the SDK's retries.
 */
export function convertTransientFailures<C extends MiddlewareClient>(client: C): C {
  client.middlewareStack.add((next) => (args) => convertingFailures(() => next(args)), {
    step: 'initialize',
    priority: 'high',
    name: 'dependencyUnavailable',
  });
  return client;
}
