// The failed-login policy as pure functions: the doubling wait, the day's budget per login name,
// what a stored counter still has to wait, and which counter a login name is charged to.
import { describe, expect, it } from 'vitest';
import { DAY_MS, dailyLimitPerName, dayWindow, nameSubject, nameSubjectsOf, secondsToWait, waitSeconds } from '../../../lib/abuse/login-throttle.ts';

const policy = { maxFailures: 5, windowSeconds: 900, maxWaitSeconds: 900, dailyMaxFailures: 100, deviceProofTtlSeconds: 86_400 };
const NOW = Date.UTC(2026, 10, 23, 12);
const counter = (over: Partial<{ failures: number; openAt: number; streakEndsAt: number; dayFailures: number }> = {}) => ({
  failures: 0,
  openAt: 0,
  streakEndsAt: 0,
  dayFailures: 0,
  ...over,
});

describe('the wait after a streak of failures', () => {
  it('is none below LOGIN_MAX_FAILURES, then 60 s doubling per failure, capped at LOGIN_MAX_WAIT', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 1_000].map((f) => waitSeconds(f, policy))).toEqual([0, 0, 60, 120, 240, 480, 900, 900, 900]);
    expect(waitSeconds(5, { ...policy, maxWaitSeconds: 30 })).toBe(30);
    expect(waitSeconds(2, { ...policy, maxFailures: 2 })).toBe(60);
  });
});

describe('the day’s budget', () => {
  it('is half the account’s per login name, so both names together stay within LOGIN_DAILY_MAX_FAILURES', () => {
    expect(dailyLimitPerName(policy)).toBe(50);
    expect(dailyLimitPerName({ dailyMaxFailures: 7 })).toBe(3);
    expect(2 * dailyLimitPerName({ dailyMaxFailures: 7 })).toBeLessThanOrEqual(7);
  });

  it('runs in fixed UTC days', () => {
    expect(dayWindow(Date.UTC(2026, 10, 23, 0, 0, 0))).toBe(dayWindow(Date.UTC(2026, 10, 23, 23, 59, 59)));
    expect(dayWindow(Date.UTC(2026, 10, 24))).toBe(dayWindow(Date.UTC(2026, 10, 23)) + 1);
    expect(dayWindow(NOW) * DAY_MS).toBe(Date.UTC(2026, 10, 23));
  });
});

describe('what a counter still has to wait', () => {
  it('nothing without a counter, below the limit, or once the wait is over', () => {
    expect(secondsToWait(undefined, NOW, policy)).toBe(0);
    expect(secondsToWait(counter({ failures: 4, openAt: NOW + 60_000, streakEndsAt: NOW + 960_000 }), NOW, policy)).toBe(0);
    expect(secondsToWait(counter({ failures: 5, openAt: NOW, streakEndsAt: NOW + 900_000 }), NOW, policy)).toBe(0);
  });

  it('the rest of the wait past the limit, rounded up to whole seconds', () => {
    expect(secondsToWait(counter({ failures: 5, openAt: NOW + 59_001, streakEndsAt: NOW + 959_001 }), NOW, policy)).toBe(60);
  });

  it('nothing once the streak has ended, whatever it counted', () => {
    expect(secondsToWait(counter({ failures: 9, openAt: NOW + 1, streakEndsAt: NOW }), NOW, policy)).toBe(0);
  });

  it('until the next UTC day once the day’s budget is spent, even without a streak', () => {
    expect(secondsToWait(counter({ dayFailures: 50 }), NOW, policy)).toBe(12 * 3600);
    expect(secondsToWait(counter({ dayFailures: 49 }), NOW, policy)).toBe(0);
  });
});

describe('the counter a login name is charged to', () => {
  it('is the normalised name, one per spelling of a name, email or username', () => {
    expect(nameSubject('Jane')).toBe(nameSubject('JANE'));
    expect(nameSubject('Jane@Example.com')).toBe('email:jane@example.com');
    expect(nameSubject('jane')).toBe('username:jane');
  });

  it('is separate for the username and the email address of one account (a lock on one is not seen through the other)', () => {
    expect(nameSubjectsOf({ username: 'jane', email: 'jane@example.com' })).toEqual(['username:jane', 'email:jane@example.com']);
  });
});
