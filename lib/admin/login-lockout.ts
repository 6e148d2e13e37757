// Unlocking an account the failed-login throttle holds (lib/abuse/login-throttle.ts): what Keycloak
// calls "unlock user". For a user who has confirmed who they are by other means, so they need not
// wait out the doubling delay or the 24-hour budget. It clears the counters of both login names
// (username and email); the next failures count from zero. Device counters are left alone: a
// device is locked only by failures presented with its own proof.

import { endLoginLocks, nameSubjectsOf, secondsToWait } from '../abuse/login-throttle.ts';
import { hourOf } from '../domain/throttle.ts';
import type { User } from '../domain/user.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { findUser } from './find-user.ts';

export interface Unlock {
  user: User;
  /** Failures in the streaks that were ended, over both login names (0: there were none). */
  failures: number;
  /** Seconds the user would still have had to wait (0: none). */
  secondsLeft: number;
}

export async function unlockUser(reference: string, deps: Pick<Dependencies, 'users' | 'throttles' | 'clock' | 'config'>): Promise<Unlock> {
  const user = await findUser(reference, deps);
  const now = deps.clock.now();
  const counters = await Promise.all(nameSubjectsOf(user).map((subject) => deps.throttles.loginCounter(subject, hourOf(now))));
  await endLoginLocks(user, deps);
  return {
    user,
    failures: counters.reduce((sum, counter) => sum + (counter && counter.streakEndsAt > now ? counter.failures : 0), 0),
    secondsLeft: Math.max(0, ...counters.map((counter) => secondsToWait(counter, now, deps.config.loginThrottle))),
  };
}
