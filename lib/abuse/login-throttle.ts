// Failed-login throttling (OWASP ASVS V6.3, NIST SP 800-63B section 5.2.2, OWASP's "device
// cookies"). The policy, precisely (SECURITY.md says the same for clients):
//
// - Counters. Every login name (a username or an email address, normalised) has a counter for the
//   clients that show no valid device proof for its account ("untrusted"), and every device proof
//   has one of its own. An attempt is charged to exactly one of them: the device's when the client
//   shows a valid proof of the account the name belongs to (and that device is not itself locked),
//   else the name's. So an attacker without the owner's device locks out only clients without it.
// - Streaks. After LOGIN_MAX_FAILURES failures in a streak on a counter, every attempt charged to
//   it waits: a minute, doubling with each further failure, up to LOGIN_MAX_WAIT. A streak ends
//   LOGIN_FAILURE_WINDOW after its last wait; a success on that counter ends it at once. A locked
//   device proof counts as no proof (its attempts fall back to the name's counter).
// - The 24-hour budget. Whatever the client, a login name admits at most
//   LOGIN_DAILY_MAX_FAILURES / 2 failures in any 24 hours (a rolling bound, not per calendar day:
//   sliding windows of 25 whole hours, lib/store/throttles.ts shows why that bounds every 24-hour
//   interval); when one is full, every attempt with that name waits for the first hour whose
//   windows all have room again. An account has two login names, so it admits at most
//   LOGIN_DAILY_MAX_FAILURES (100) failed guesses in any 24 hours, as NIST asks.
// - Atomic. An attempt is reserved BEFORE its password is checked, by one conditional atomic
//   UpdateItem that refuses while the counter has to wait or the budget is spent, and that counts
//   the attempt as a failure at once; afterwards it is settled (a success ends the streak and gives
//   the budget's failure back, in the windows of the hour it was reserved in; a failure stays
//   counted and sets the next wait; an attempt whose password could not be judged, because the
//   legacy system of a lazy migration did not answer, is taken back whole). Reserving an attempt
//   past the limit also holds the counter closed until it is settled, so N concurrent wrong
//   passwords get at most LOGIN_MAX_FAILURES passwords checked (then one per wait), not N.
// - Names, not accounts. Counters belong to login names, not to accounts: a lock reached through
//   the username is not visible through the email address, so locking cannot tell anyone that a
//   username and an address belong to one account; a wrong password tells nothing either. A name
//   without an account has the same counters and behaves exactly the same, so throttling reveals
//   nothing about which accounts exist. The price: the owner who types the other name is not
//   locked out by an attack on one; the 24-hour budget is split in two so that the account's total
//   stays within NIST's bound.
// - A successful password reset deletes the counters of both names (the lock ends), and so does
//   an operator's unlock (lib/admin/login-lockout.ts).
import type { Config } from '../config/all.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import { normaliseEmail, normaliseUsername } from '../domain/identity.ts';
import { HOUR_MS, hourOf, type LoginCounter, type ThrottleStore, WINDOW_HOURS } from '../domain/throttle.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../support/clock.ts';

export type LoginThrottlePolicy = Config['loginThrottle'];

const FIRST_WAIT_SECONDS = 60;

/** The wait after a streak of `failures`: none below the limit, then a minute doubling per failure, capped. */
export function waitSeconds(failures: number, policy: Pick<LoginThrottlePolicy, 'maxFailures' | 'maxWaitSeconds'>): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.maxWaitSeconds, FIRST_WAIT_SECONDS * 2 ** doublings);
}

/** Failures each login name admits in any 24 hours: half the account's, as an account has two names. */
export function dailyLimitPerName(policy: Pick<LoginThrottlePolicy, 'dailyMaxFailures'>): number {
  return Math.floor(policy.dailyMaxFailures / 2);
}

/**
 * Epoch ms from which the budget admits a failure again, as far as the counts read at `now` tell
 * (refunds may open it sooner; `now` when it has room). The windows holding the current hour h are
 * W_{h-24} .. W_h; later windows are still empty (nothing was reserved in a later hour). Hour g >= h
 * lies in W_{g-24} .. W_g, so it has room once g-24 is past the newest full window s: g = s + 25.
 * This is the exact earliest hour, computed from the counts the refused update returned.
 */
export function budgetOpensAt(counter: Pick<LoginCounter, 'hourWindows'>, now: number, policy: Pick<LoginThrottlePolicy, 'dailyMaxFailures'>): number {
  const limit = dailyLimitPerName(policy);
  const newestFull = counter.hourWindows.findLastIndex((count) => count >= limit);
  if (newestFull < 0) return now;
  const start = hourOf(now) - WINDOW_HOURS + 1 + newestFull;
  return (start + WINDOW_HOURS) * HOUR_MS;
}

/** Whole seconds a counter still has to wait before its next attempt (0: go ahead). */
export function secondsToWait(counter: LoginCounter | undefined, now: number, policy: LoginThrottlePolicy): number {
  if (!counter) return 0;
  const streakWait = counter.failures >= policy.maxFailures && counter.streakEndsAt > now && counter.openAt > now ? counter.openAt - now : 0;
  const budgetWait = counter.dayFailures >= dailyLimitPerName(policy) ? budgetOpensAt(counter, now, policy) - now : 0;
  return Math.ceil(Math.max(streakWait, budgetWait) / 1000);
}

/** The counter without its budget: what the streak alone makes it wait. */
const streakOnly = (counter: LoginCounter): LoginCounter => ({ ...counter, dayFailures: 0, hourWindows: [] });

/** Epoch seconds after which a name counter whose budget was charged in `hour` may go: once its last window has ended. */
const budgetExpiresAt = (hour: number) => Math.ceil(((hour + WINDOW_HOURS) * HOUR_MS) / 1000) + 60;

/** The counter of the clients without a device proof that try `login`: one per login name, account or not. */
export function nameSubject(login: string): string {
  return login.includes('@') ? `email:${normaliseEmail(login)}` : `username:${normaliseUsername(login)}`;
}

/** The name counters of an account: what a password reset or an unlock clears. */
export function nameSubjectsOf(user: Pick<User, 'username' | 'email'>): string[] {
  return [...new Set([nameSubject(user.username), nameSubject(user.email)])];
}

export const deviceSubject = (deviceId: string) => `device:${deviceId}`;

type ThrottleDeps = { throttles: ThrottleStore; clock: Clock; config: Pick<Config, 'loginThrottle'> };

/** A reserved login attempt, to settle once its password has been checked. */
export interface ReservedAttempt {
  /** Whether the attempt is charged to a device's counter (else to the login name's). */
  readonly trusted: boolean;
  /** The device proof does not apply after all (another account's, or revoked): charge the name instead. Throws TooManyRequestsError. */
  untrust(): Promise<void>;
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** The password was never judged (the legacy system could not answer): the attempt is taken back, streak and budget. */
  withdrawn(): Promise<void>;
}

/** A streak reservation: the attempt's number in the streak, and the counter before it (to undo it). */
interface Reserved {
  position: number;
  before: LoginCounter;
}

const tooMany = (seconds: number) =>
  new TooManyRequestsError(`Too many failed logins for this account; try again in ${seconds} seconds.`, Math.max(1, Math.ceil(seconds)));

/** Reservation rounds before a counter that keeps changing under us is answered as busy. */
const ROUNDS = 4;

/**
 * Reserves one attempt of `subject`'s streak (and of its 24-hour budget when `withBudget`); returns
 * the streak's count with it and the counter as it was, or throws TooManyRequestsError.
 */
async function reserveStreak(subject: string, withBudget: boolean, deps: ThrottleDeps): Promise<Reserved> {
  const policy = deps.config.loginThrottle;
  const now = deps.clock.now();
  const hour = hourOf(now);
  const provisionalOpenAt = now + policy.maxWaitSeconds * 1000;
  const provisionalEndsAt = provisionalOpenAt + policy.windowSeconds * 1000;
  // The item outlives its streak and its budget's windows, whichever reservation charged them.
  const expiresAt = Math.max(Math.ceil(provisionalEndsAt / 1000), budgetExpiresAt(hour));
  let form: 'continue' | 'restart' = 'continue';
  for (let round = 0; round < ROUNDS; round += 1) {
    const outcome = await deps.throttles.reserveLoginAttempt({
      subject,
      now,
      streak: { form, maxFailures: policy.maxFailures, provisionalOpenAt, provisionalEndsAt },
      ...(withBudget ? { budget: { hour, limit: dailyLimitPerName(policy) } } : {}),
      expiresAt,
    });
    if (outcome.reserved) return { position: outcome.failures, before: outcome.before };
    const wait = secondsToWait(withBudget ? outcome.before : streakOnly(outcome.before), now, policy);
    if (wait > 0) throw tooMany(wait);
    // Refused without a wait to show: the streak has ended (start over) or changed meanwhile (again).
    form = outcome.before.failures > 0 && outcome.before.streakEndsAt <= now ? 'restart' : 'continue';
  }
  throw tooMany(1);
}

/**
 * Reserves one failure of a login name's 24-hour budget; returns the hour it was reserved in (to
 * give it back), or throws TooManyRequestsError when the budget is spent.
 */
async function reserveBudget(subject: string, deps: ThrottleDeps): Promise<number> {
  const policy = deps.config.loginThrottle;
  const now = deps.clock.now();
  const hour = hourOf(now);
  for (let round = 0; round < ROUNDS; round += 1) {
    const outcome = await deps.throttles.reserveLoginAttempt({
      subject,
      now,
      budget: { hour, limit: dailyLimitPerName(policy) },
      expiresAt: budgetExpiresAt(hour),
    });
    if (outcome.reserved) return hour;
    const wait = Math.ceil((budgetOpensAt(outcome.before, now, policy) - now) / 1000);
    if (wait > 0) throw tooMany(wait);
    // Refused, yet the counts show room: a success gave its failure back meanwhile; again.
  }
  throw tooMany(1);
}

/**
 * Reserves a login attempt before its password is checked: on the device's counter when
 * `deviceId` (a valid device proof's id, for the account the name is expected to belong to) is
 * given and that device is not locked, else on the login name's. Throws TooManyRequestsError.
 */
export async function reserveLoginAttempt(login: string, deviceId: string | undefined, deps: ThrottleDeps): Promise<ReservedAttempt> {
  const policy = deps.config.loginThrottle;
  const name = nameSubject(login);
  // The budget's failure is given back in the windows of the hour it was reserved in, whenever the settlement comes.
  const hour = hourOf(deps.clock.now());
  let device = deviceId === undefined ? undefined : deviceSubject(deviceId);
  let reserved: Reserved;

  if (device) {
    // Both at once: the device's streak and the name's budget are separate items.
    const [onDevice, onBudget] = await Promise.allSettled([reserveStreak(device, false, deps), reserveBudget(name, deps)]);
    if (onBudget.status === 'rejected') {
      if (onDevice.status === 'fulfilled') await undoStreak(device, onDevice.value, deps);
      throw onBudget.reason;
    }
    if (onDevice.status === 'fulfilled') {
      reserved = onDevice.value;
    } else {
      if (!(onDevice.reason instanceof TooManyRequestsError)) throw onDevice.reason;
      // A locked device proof counts as none (OWASP): the attempt falls back to the name's counter.
      device = undefined;
      reserved = await reserveOrGiveBackBudget(name, deps, hour);
    }
  } else {
    reserved = await reserveStreak(name, true, deps);
  }

  return {
    get trusted() {
      return device !== undefined;
    },
    async untrust() {
      if (!device) return;
      const charged = device;
      device = undefined;
      await undoStreak(charged, reserved, deps);
      reserved = await reserveOrGiveBackBudget(name, deps, hour);
    },
    async succeeded() {
      if (device) {
        await Promise.all([
          deps.throttles.settleLoginAttempt({ subject: device, streak: { kind: 'end' } }),
          deps.throttles.settleLoginAttempt({ subject: name, releaseHour: hour }),
        ]);
      } else {
        await deps.throttles.settleLoginAttempt({ subject: name, streak: { kind: 'end' }, releaseHour: hour });
      }
    },
    async failed() {
      const now = deps.clock.now();
      const { position } = reserved;
      const openAt = now + waitSeconds(position, policy) * 1000;
      await deps.throttles.settleLoginAttempt({
        subject: device ?? name,
        streak: { kind: 'failed', failures: position, openAt, streakEndsAt: openAt + policy.windowSeconds * 1000 },
      });
    },
    async withdrawn() {
      if (device) {
        await Promise.all([undoStreak(device, reserved, deps), deps.throttles.settleLoginAttempt({ subject: name, releaseHour: hour })]);
      } else {
        const { position, before } = reserved;
        await deps.throttles.settleLoginAttempt({ subject: name, streak: { kind: 'undo', failures: position, before }, releaseHour: hour });
      }
    },
  };
}

/** The name's streak, its budget's failure being held already; if the streak refuses, that failure is given back. */
async function reserveOrGiveBackBudget(name: string, deps: ThrottleDeps, hour: number): Promise<Reserved> {
  try {
    return await reserveStreak(name, false, deps);
  } catch (error) {
    await deps.throttles.settleLoginAttempt({ subject: name, releaseHour: hour });
    throw error;
  }
}

/** Takes back a streak reservation that was never used; if a later one overtook it, it stays counted (the safe side). */
async function undoStreak(subject: string, { position, before }: Reserved, deps: ThrottleDeps): Promise<void> {
  await deps.throttles.settleLoginAttempt({ subject, streak: { kind: 'undo', failures: position, before } });
}

/** Ends every lock on an account's login names (a successful password reset, an operator's unlock). */
export async function endLoginLocks(user: Pick<User, 'username' | 'email'>, deps: Pick<ThrottleDeps, 'throttles'>): Promise<void> {
  await deps.throttles.clearLoginCounters(nameSubjectsOf(user));
}
