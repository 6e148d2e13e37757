// Failed-login throttling per account (OWASP ASVS V6.3, NIST SP 800-63B section 5.2.2): after
// LOGIN_MAX_FAILURES failures in a streak, every attempt waits; the wait starts at a minute and
// doubles with each further failure, up to LOGIN_MAX_WAIT. A streak ends when no failure follows
// within LOGIN_FAILURE_WINDOW of the last wait; a successful login ends it at once.
//
// The counter belongs to the account, not to the caller's address, so one address cannot lock out
// everyone and many addresses cannot guess one password faster. A login name without an account
// gets a counter of its own that behaves exactly the same, so throttling reveals nothing about
// which accounts exist.
import type { Config } from '../config/all.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import { normaliseEmail, normaliseUsername } from '../domain/identity.ts';
import type { LoginFailures, ThrottleStore } from '../domain/throttle.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../support/clock.ts';

export type LoginThrottlePolicy = Config['loginThrottle'];

const FIRST_WAIT_SECONDS = 60;

/** The wait after a streak of `failures`: none below the limit, then a minute doubling per failure, capped. */
export function waitSeconds(failures: number, policy: LoginThrottlePolicy): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.maxWaitSeconds, FIRST_WAIT_SECONDS * 2 ** doublings);
}

/** After this moment the streak is over and the next failure starts a new one. */
export function streakEndsAt(state: LoginFailures, policy: LoginThrottlePolicy): number {
  return state.lastFailureAt + (waitSeconds(state.failures, policy) + policy.windowSeconds) * 1000;
}

/** Whole seconds still to wait before the next attempt (0: go ahead). */
export function secondsToWait(state: LoginFailures | undefined, now: number, policy: LoginThrottlePolicy): number {
  if (!state) return 0;
  const waitEnds = state.lastFailureAt + waitSeconds(state.failures, policy) * 1000;
  return waitEnds > now ? Math.ceil((waitEnds - now) / 1000) : 0;
}

/** Whose counter an attempt counts against: the account, or the login name when there is none. */
export function loginSubject(user: User | undefined, login: string): string {
  if (user) return `user:${user.id}`;
  return login.includes('@') ? `email:${normaliseEmail(login)}` : `username:${normaliseUsername(login)}`;
}

type ThrottleDeps = { throttles: ThrottleStore; clock: Clock; config: Pick<Config, 'loginThrottle'> };

/** The throttle of one login attempt: read it beside the password check, then settle it. */
export interface LoginAttempt {
  /** Throws TooManyRequestsError while the subject has to wait. */
  refuseIfWaiting(): void;
  recordFailure(): Promise<void>;
  recordSuccess(): Promise<void>;
}

export async function startLoginAttempt(subject: string, deps: ThrottleDeps): Promise<LoginAttempt> {
  const policy = deps.config.loginThrottle;
  const stored = await deps.throttles.loginFailures(subject);
  const now = deps.clock.now();
  const state = stored && streakEndsAt(stored, policy) > now ? stored : undefined;
  return {
    refuseIfWaiting() {
      const wait = secondsToWait(state, now, policy);
      if (wait > 0) {
        throw new TooManyRequestsError(`Too many failed logins for this account; try again in ${wait} seconds.`, wait);
      }
    },
    async recordFailure() {
      // Add to the streak we read (or to one a concurrent failure has opened since); an ended
      // streak is replaced by a new one.
      const cutoff = state ? state.lastFailureAt - 1 : (stored?.lastFailureAt ?? 0);
      const keepSeconds = policy.windowSeconds + policy.maxWaitSeconds;
      await deps.throttles.recordLoginFailure(subject, now, cutoff, Math.floor(now / 1000) + keepSeconds);
    },
    async recordSuccess() {
      if (stored) await deps.throttles.clearLoginFailures(subject);
    },
  };
}
