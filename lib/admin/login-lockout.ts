// Unlocking an account the failed-login throttle holds (lib/abuse/login-throttle.ts): what Keycloak
// calls "unlock user". For a user who has confirmed who they are by other means, so they need not
// wait out the doubling delay. It ends the streak; the next failures count from zero.

import { loginSubject, secondsToWait } from '../abuse/login-throttle.ts';
import type { User } from '../domain/user.ts';
import type { Dependencies } from '../use-cases/dependencies.ts';
import { findUser } from './find-user.ts';

export interface Unlock {
  user: User;
  /** Failures in the streak that was ended (0: there was none). */
  failures: number;
  /** Seconds the user would still have had to wait (0: none). */
  secondsLeft: number;
}

export async function unlockUser(reference: string, deps: Pick<Dependencies, 'users' | 'throttles' | 'clock' | 'config'>): Promise<Unlock> {
  const user = await findUser(reference, deps);
  const subject = loginSubject(user, user.username);
  const streak = await deps.throttles.loginFailures(subject);
  if (streak) await deps.throttles.clearLoginFailures(subject);
  return {
    user,
    failures: streak?.failures ?? 0,
    secondsLeft: secondsToWait(streak, deps.clock.now(), deps.config.loginThrottle),
  };
}
