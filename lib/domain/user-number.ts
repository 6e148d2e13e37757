// The port through which a user gets a Django-shaped id: a positive integer from an atomic counter,
// unique because a claim item for each integer is written with the user (lib/store/user-numbers.ts).
import type { User } from './user.ts';

export interface UserNumberStore {
  /**
   * A fresh integer from the counter (one atomic increment). A number drawn but never written with
   * a user (a failed registration) is simply skipped, like a Django sequence value: ids may have gaps.
   */
  next(): Promise<number>;
  /**
   * The user's integer id; an account that has none gets one now. Concurrent first needs agree on
   * one number (the write is conditional on the user having none yet).
   */
  ensure(user: User): Promise<number>;
  /**
   * Moves the counter to at least `number` (never backwards), so no later draw gives out an integer
   * an account brought from another system (lazy migration, import) already holds. Returns the
   * counter's value afterwards.
   */
  atLeast(number: number): Promise<number>;
  /** The id of the user holding `number`, read from its claim item; undefined when nobody does. */
  findUserId(number: number): Promise<string | undefined>;
}

/** A user together with its integer id, as the Django dialects show users. */
export type NumberedUser = User & { number: number };
