// The failed-login policy as pure functions: the doubling wait, the 24-hour budget per login name,
// what a stored counter still has to wait, and which counter a login name is charged to.
import { describe, expect, it } from 'vitest';
import { budgetOpensAt, dailyLimitPerName, nameSubject, nameSubjectsOf, secondsToWait, waitSeconds } from '../../../lib/abuse/login-throttle.ts';
import type { LoginCounter } from '../../../lib/domain/throttle.ts';

const policy = { maxFailures: 5, windowSeconds: 900, maxWaitSeconds: 900, dailyMaxFailures: 100, deviceProofTtlSeconds: 86_400 };
const NOW = Date.UTC(2026, 10, 23, 12);
const HOUR = 3_600_000;
/** The 25 windows holding the current hour, oldest first, with `counts` at the given indexes (0: W_{h-24}, 24: W_h). */
const windows = (counts: Record<number, number> = {}) => Array.from({ length: 25 }, (_, i) => counts[i] ?? 0);
const counter = (over: Partial<LoginCounter> = {}): LoginCounter => {
  const hourWindows = over.hourWindows ?? windows();
  return { failures: 0, openAt: 0, streakEndsAt: 0, dayFailures: Math.max(...hourWindows), ...over, hourWindows };
};

describe('the wait after a streak of failures', () => {
  it('is none below LOGIN_MAX_FAILURES, then 60 s doubling per failure, capped at LOGIN_MAX_WAIT', () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 1_000].map((f) => waitSeconds(f, policy))).toEqual([0, 0, 60, 120, 240, 480, 900, 900, 900]);
    expect(waitSeconds(5, { ...policy, maxWaitSeconds: 30 })).toBe(30);
    expect(waitSeconds(2, { ...policy, maxFailures: 2 })).toBe(60);
  });
});

describe('the 24-hour budget', () => {
  it('is half the account’s per login name, so both names together stay within LOGIN_DAILY_MAX_FAILURES', () => {
    expect(dailyLimitPerName(policy)).toBe(50);
    expect(dailyLimitPerName({ dailyMaxFailures: 7 })).toBe(3);
    expect(2 * dailyLimitPerName({ dailyMaxFailures: 7 })).toBeLessThanOrEqual(7);
  });

  it('opens again at the first hour whose windows all have room: 25 hours after the newest full window starts', () => {
    const at = NOW + 20 * 60_000; // 12:20, hour h = 12:00
    expect(budgetOpensAt({ hourWindows: windows() }, at, policy)).toBe(at);
    expect(budgetOpensAt({ hourWindows: windows({ 0: 49, 24: 49 }) }, at, policy)).toBe(at);
    // W_h full (failures this hour): nothing until hour h+25.
    expect(budgetOpensAt({ hourWindows: windows({ 24: 50 }) }, at, policy)).toBe(NOW + 25 * HOUR);
    // Only W_{h-24} full (its failures were all in hour h-24): the next hour.
    expect(budgetOpensAt({ hourWindows: windows({ 0: 50 }) }, at, policy)).toBe(NOW + HOUR);
    // The newest full window decides.
    expect(budgetOpensAt({ hourWindows: windows({ 0: 50, 10: 51, 11: 3 }) }, at, policy)).toBe(NOW + 11 * HOUR);
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

  it('until the budget opens again once a window holding this hour is full, even without a streak', () => {
    expect(secondsToWait(counter({ hourWindows: windows({ 12: 50 }) }), NOW + 1_000, policy)).toBe(13 * 3600 - 1);
    expect(secondsToWait(counter({ hourWindows: windows({ 12: 49, 24: 49 }) }), NOW, policy)).toBe(0);
  });

  it('the longer of the streak’s wait and the budget’s', () => {
    const locked = { failures: 9, openAt: NOW + 900_000, streakEndsAt: NOW + 1_800_000 };
    expect(secondsToWait(counter({ ...locked, hourWindows: windows({ 0: 50 }) }), NOW, policy)).toBe(3600);
    expect(secondsToWait(counter({ ...locked, openAt: NOW + 7_200_000, streakEndsAt: NOW + 8_000_000, hourWindows: windows({ 0: 50 }) }), NOW, policy)).toBe(
      7200,
    );
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
