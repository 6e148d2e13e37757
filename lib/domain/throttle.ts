// The counters behind throttling (lib/abuse/): requests per source IP and minute, and the failed-
// login counters (per login name, per device proof); the port lib/abuse reaches them through
// (lib/store/throttles.ts).

/** An hour in ms: the budget's windows start on whole hours since the epoch. */
export const HOUR_MS = 3_600_000;

/** Whole hours a window of the rolling budget spans: 25, so that every 24-hour interval lies inside one. */
export const WINDOW_HOURS = 25;

/** The hour (since the epoch) holding `now`. */
export const hourOf = (now: number) => Math.floor(now / HOUR_MS);

/** One failed-login counter as stored: a failure streak and, for login names, the rolling 24-hour budget's windows. */
export interface LoginCounter {
  /** Attempts in the current streak: settled failures and attempts reserved but not yet settled. */
  failures: number;
  /** Epoch ms from which an attempt past the limit may be checked (a reservation pushes it out until it is settled). */
  openAt: number;
  /** Epoch ms after which the streak is over and the next attempt starts a new one. */
  streakEndsAt: number;
  /** The largest count among `hourWindows`: the budget is spent for the hour asked about when it reaches the limit. */
  dayFailures: number;
  /**
   * The 25 sliding windows holding the hour asked about, h: the failures (settled or reserved)
   * counted in W_{h-24} .. W_h, oldest first, where W_s counts hours s .. s+24
   * (lib/store/throttles.ts explains the windows).
   */
  hourWindows: readonly number[];
}

/**
 * What one atomic reservation asks of a counter. The store applies all of it or nothing: it
 * refuses when the streak has to wait or the rolling 24-hour budget is spent.
 */
export interface LoginReservation {
  subject: string;
  now: number;
  /**
   * One attempt of the failure streak. `continue` adds to an open streak (or starts one on a fresh
   * counter) unless it has to wait; `restart` starts over a streak that has ended. Either way the
   * next check past the limit is held back to `provisionalOpenAt` until this attempt is settled.
   */
  streak?: { form: 'continue' | 'restart'; maxFailures: number; provisionalOpenAt: number; provisionalEndsAt: number };
  /**
   * One failure of the rolling 24-hour budget, reserved in `hour` (hours since the epoch): counted
   * in every window holding that hour, refused if any of them has `limit` already.
   */
  budget?: { hour: number; limit: number };
  /** Epoch seconds after which the item may go. */
  expiresAt: number;
}

export type ReservationOutcome =
  /** Reserved: `before` is the counter as it was, `failures` the streak's count with this attempt. */
  | { reserved: true; before: LoginCounter; failures: number }
  /** Refused: the counter as read just after (the caller decides: wait, or restart the streak). */
  | { reserved: false; before: LoginCounter };

/** What settling or releasing a reservation changes on one counter. */
export interface LoginSettlement {
  subject: string;
  /** The streak: `end` (a success), `undo` (put back as `before` if no later attempt was reserved), or the failure's times. */
  streak?:
    | { kind: 'end' }
    | { kind: 'undo'; failures: number; before: LoginCounter }
    | { kind: 'failed'; failures: number; openAt: number; streakEndsAt: number };
  /** Give back the budget's failure reserved in this hour (the attempt succeeded or was not made): taken off the windows it was counted in. */
  releaseHour?: number;
}

export interface ThrottleStore {
  /** Counts one request of `action` from `ip` in the minute holding `now`; returns that minute's count. */
  countRequest(action: string, ip: string, now: number): Promise<number>;
  /** A failed-login counter as stored (its streak may have ended; the policy decides), with the budget's windows holding `hour`. */
  loginCounter(subject: string, hour: number): Promise<LoginCounter | undefined>;
  /** Reserves an attempt with one conditional atomic write. */
  reserveLoginAttempt(reservation: LoginReservation): Promise<ReservationOutcome>;
  /** Settles (or releases) a reservation; a streak settlement that a later reservation has overtaken changes nothing. */
  settleLoginAttempt(settlement: LoginSettlement): Promise<void>;
  /** Deletes counters outright (a password reset, an operator's unlock). */
  clearLoginCounters(subjects: readonly string[]): Promise<void>;
}
