// The counters behind throttling (lib/abuse/): requests per source IP and minute, failed logins per
// account; the port lib/abuse reaches them through (lib/store/throttles.ts).

export interface LoginFailures {
  /** Failures in the current streak (each within the window of the one before). */
  failures: number;
  lastFailureAt: number;
}

export interface ThrottleStore {
  /** Counts one request of `action` from `ip` in the minute holding `now`; returns that minute's count. */
  countRequest(action: string, ip: string, now: number): Promise<number>;
  /** The failure streak of a login subject as stored (it may have ended; the policy decides). */
  loginFailures(subject: string): Promise<LoginFailures | undefined>;
  /**
   * Adds a failure to the streak if its last failure is after `streakCutoff`, else starts a new
   * streak at 1. `expiresAt` (epoch seconds) is when the item may go.
   */
  recordLoginFailure(subject: string, now: number, streakCutoff: number, expiresAt: number): Promise<LoginFailures>;
  clearLoginFailures(subject: string): Promise<void>;
}
