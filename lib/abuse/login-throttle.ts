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
// - The day's budget. Whatever the client, a login name admits LOGIN_DAILY_MAX_FAILURES / 2
//   failures per fixed 24-hour window (UTC days); then every attempt with that name waits for the
//   next window. An account has two login names, so it admits at most LOGIN_DAILY_MAX_FAILURES
//   (100) failed guesses per window, as NIST asks.
// - Atomic. An attempt is reserved BEFORE its password is checked, by one conditional atomic
//   UpdateItem that refuses while the counter has to wait or the budget is spent, and that counts
//   the attempt as a failure at once; afterwards it is settled (a success ends the streak and gives
//   the day's failure back; a failure stays counted and sets the next wait). Reserving an attempt
//   past the limit also holds the counter closed until it is settled, so N concurrent wrong
//   passwords get at most LOGIN_MAX_FAILURES passwords checked (then one per wait), not N.
// - Names, not accounts. Counters belong to login names, not to accounts: a lock reached through
//   the username is not visible through the email address, so locking cannot tell anyone that a
//   username and an address belong to one account; a wrong password tells nothing either. A name
//   without an account has the same counters and behaves exactly the same, so throttling reveals
//   nothing about which accounts exist. The price: the owner who types the other name is not
//   locked out by an attack on one; the day's budget is split in two so that the account's total
//   stays within NIST's bound.
// - A successful password reset deletes the counters of both names (the lock ends), and so does
//   an operator's unlock (lib/admin/login-lockout.ts).
import type { Config } from '../config/all.ts';
import { TooManyRequestsError } from '../domain/errors.ts';
import { normaliseEmail, normaliseUsername } from '../domain/identity.ts';
import type { LoginCounter, ThrottleStore } from '../domain/throttle.ts';
import type { User } from '../domain/user.ts';
import type { Clock } from '../support/clock.ts';

export type LoginThrottlePolicy = Config['loginThrottle'];

const FIRST_WAIT_SECONDS = 60;
export const DAY_MS = 86_400_000;

/** The wait after a streak of `failures`: none below the limit, then a minute doubling per failure, capped. */
export function waitSeconds(failures: number, policy: Pick<LoginThrottlePolicy, 'maxFailures' | 'maxWaitSeconds'>): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.maxWaitSeconds, FIRST_WAIT_SECONDS * 2 ** doublings);
}

/** Failures each login name admits per daily window: half the account's, as an account has two names. */
export function dailyLimitPerName(policy: Pick<LoginThrottlePolicy, 'dailyMaxFailures'>): number {
  return Math.floor(policy.dailyMaxFailures / 2);
}

/** The fixed 24-hour window (UTC days since the epoch) holding `now`. */
export const dayWindow = (now: number) => Math.floor(now / DAY_MS);

/** Whole seconds a counter still has to wait before its next attempt (0: go ahead). */
export function secondsToWait(counter: LoginCounter | undefined, now: number, policy: LoginThrottlePolicy): number {
  if (!counter) return 0;
  const streakWait = counter.failures >= policy.maxFailures && counter.streakEndsAt > now && counter.openAt > now ? counter.openAt - now : 0;
  const dayWait = counter.dayFailures >= dailyLimitPerName(policy) ? (dayWindow(now) + 1) * DAY_MS - now : 0;
  return Math.ceil(Math.max(streakWait, dayWait) / 1000);
}

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
 * Reserves one attempt of `subject`'s streak (and of its day's budget when `withDay`); returns the
 * streak's count with it and the counter as it was, or throws TooManyRequestsError.
 */
async function reserveStreak(subject: string, withDay: boolean, deps: ThrottleDeps): Promise<Reserved> {
  const policy = deps.config.loginThrottle;
  const now = deps.clock.now();
  const window = dayWindow(now);
  const provisionalOpenAt = now + policy.maxWaitSeconds * 1000;
  const provisionalEndsAt = provisionalOpenAt + policy.windowSeconds * 1000;
  const expiresAt = Math.ceil(Math.max(provisionalEndsAt, (window + 1) * DAY_MS) / 1000);
  let form: 'continue' | 'restart' = 'continue';
  for (let round = 0; round < ROUNDS; round += 1) {
    const outcome = await deps.throttles.reserveLoginAttempt({
      subject,
      now,
      streak: { form, maxFailures: policy.maxFailures, provisionalOpenAt, provisionalEndsAt },
      ...(withDay ? { day: { window, limit: dailyLimitPerName(policy) } } : {}),
      expiresAt,
    });
    if (outcome.reserved) return { position: outcome.failures, before: outcome.before };
    const wait = secondsToWait(withDay ? outcome.before : { ...outcome.before, dayFailures: 0 }, now, policy);
    if (wait > 0) throw tooMany(wait);
    // Refused without a wait to show: the streak has ended (start over) or changed meanwhile (again).
    form = outcome.before.failures > 0 && outcome.before.streakEndsAt <= now ? 'restart' : 'continue';
  }
  throw tooMany(1);
}

/** Reserves one failure of the day's budget of a login name; throws TooManyRequestsError when it is spent. */
async function reserveDay(subject: string, deps: ThrottleDeps): Promise<void> {
  const policy = deps.config.loginThrottle;
  const now = deps.clock.now();
  const window = dayWindow(now);
  const outcome = await deps.throttles.reserveLoginAttempt({
    subject,
    now,
    day: { window, limit: dailyLimitPerName(policy) },
    expiresAt: Math.ceil(((window + 1) * DAY_MS) / 1000) + 60,
  });
  if (!outcome.reserved) throw tooMany(((window + 1) * DAY_MS - now) / 1000);
}

/**
 * Reserves a login attempt before its password is checked: on the device's counter when
 * `deviceId` (a valid device proof's id, for the account the name is expected to belong to) is
 * given and that device is not locked, else on the login name's. Throws TooManyRequestsError.
 */
export async function reserveLoginAttempt(login: string, deviceId: string | undefined, deps: ThrottleDeps): Promise<ReservedAttempt> {
  const policy = deps.config.loginThrottle;
  const name = nameSubject(login);
  const window = dayWindow(deps.clock.now());
  let device = deviceId === undefined ? undefined : deviceSubject(deviceId);
  let reserved: Reserved;

  if (device) {
    // Both at once: the device's streak and the name's day budget are separate items.
    const [onDevice, onDay] = await Promise.allSettled([reserveStreak(device, false, deps), reserveDay(name, deps)]);
    if (onDay.status === 'rejected') {
      if (onDevice.status === 'fulfilled') await undoStreak(device, onDevice.value, deps);
      throw onDay.reason;
    }
    if (onDevice.status === 'fulfilled') {
      reserved = onDevice.value;
    } else {
      if (!(onDevice.reason instanceof TooManyRequestsError)) throw onDevice.reason;
      // A locked device proof counts as none (OWASP): the attempt falls back to the name's counter.
      device = undefined;
      reserved = await reserveOrGiveBackDay(name, deps, window);
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
      reserved = await reserveOrGiveBackDay(name, deps, window);
    },
    async succeeded() {
      if (device) {
        await Promise.all([
          deps.throttles.settleLoginAttempt({ subject: device, streak: { kind: 'end' } }),
          deps.throttles.settleLoginAttempt({ subject: name, releaseDay: window }),
        ]);
      } else {
        await deps.throttles.settleLoginAttempt({ subject: name, streak: { kind: 'end' }, releaseDay: window });
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
  };
}

/** The name's streak, its day's failure being held already; if the streak refuses, the day's failure is given back. */
async function reserveOrGiveBackDay(name: string, deps: ThrottleDeps, window: number): Promise<Reserved> {
  try {
    return await reserveStreak(name, false, deps);
  } catch (error) {
    await deps.throttles.settleLoginAttempt({ subject: name, releaseDay: window });
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
