// A single-item write whose condition is part of the answer ("only if unused", "only if it still
// exists"): a failed condition is a result, not an error. Everything else the write throws goes
// on (transient failures already converted to DependencyUnavailableError by the client).
// Free of the SDK: the authorizer's reads (./token-reads.ts) use it with the light client too.
import { isConditionalCheckFailed } from './errors.ts';

/** The write's output when it was applied; undefined when its condition failed. */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/** True when the write was applied, false when its condition failed. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
