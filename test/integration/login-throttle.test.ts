// Failed-login throttling against DynamoDB Local with a frozen clock: the streak, the doubling
// wait, the correct password refused during a wait, the reset on success, the window, login names
// independent of each other (a lock on the username is not visible through the email address),
// unknown names throttled exactly like real accounts, the rolling 24-hour budget (NIST's 100 per
// 24 hours, over any 24 hours, not per calendar day) and a password reset that ends the lock.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dailyLimitPerName, deviceSubject, nameSubject, reserveLoginAttempt, waitSeconds } from '../../lib/abuse/login-throttle.ts';
import { InvalidCredentialsError, TooManyRequestsError } from '../../lib/domain/errors.ts';
import { hourOf } from '../../lib/domain/throttle.ts';
import { readDeviceProof } from '../../lib/tokens/device-proofs.ts';
import { authenticate, authenticateUser } from '../../lib/use-cases/login.ts';
import { resetPassword } from '../../lib/use-cases/password-reset.ts';
import { requestPasswordReset } from '../../lib/use-cases/password-reset-request.ts';
import { register } from '../../lib/use-cases/register.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { linkIn, newestMail, tokenIn } from '../support/mailbox.ts';

const password = 'correct horse battery staple';
const policy = { maxFailures: 5, windowSeconds: 900, maxWaitSeconds: 900, dailyMaxFailures: 100, deviceProofTtlSeconds: 86_400 };
const START = Date.UTC(2026, 10, 23, 12);
/** The cheapest argon2 the config allows: these tests check many passwords. */
const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };

function setup(env: Record<string, string> = {}) {
  const clock = testClock(START);
  const deps = testDependencies(clock, { ...FAST_ARGON2, ...env });
  return { clock, deps };
}

async function newAccount(deps: Dependencies) {
  const s = randomUUID().slice(0, 8);
  return register({ username: `thr_${s}`, email: `thr_${s}@example.com`, password }, deps);
}

/** What one attempt answers: 'ok', 401, or 429 with its Retry-After. */
async function attempt(deps: Dependencies, login: string, pw: string, deviceProof?: string): Promise<string> {
  try {
    await authenticateUser({ login, password: pw }, deps, { deviceProof });
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return '401';
    if (error instanceof TooManyRequestsError) return `429 retry-after ${error.retryAfterSeconds}`;
    throw error;
  }
}

describe('the wait after failures', () => {
  it('is none below the limit, then a minute doubling per failure, capped at the maximum', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 50].map((f) => waitSeconds(f, policy))).toEqual([0, 60, 120, 240, 480, 900, 900, 900]);
    expect(waitSeconds(5, { ...policy, maxWaitSeconds: 30 })).toBe(30);
  });
});

describe('failed-login throttling', () => {
  it('refuses even the right password during the wait, doubles the wait, and resets after a success', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await attempt(deps, user.username, 'wrong password'));
    expect(wrong).toEqual(['401', '401', '401', '401', '401']);

    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 60');
    clock.advance(30);
    expect(await attempt(deps, user.username.toUpperCase(), password)).toBe('429 retry-after 30');

    clock.advance(30);
    expect(await attempt(deps, user.username, 'wrong again')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 120');

    clock.advance(120);
    expect(await attempt(deps, user.username, password)).toBe('ok');
    // The streak is over: five more failures before the next wait.
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('ok');
  });

  it('keeps login names apart: a lock on the username says nothing about the email address', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    for (let i = 0; i < 5; i++) await attempt(deps, user.username, 'wrong');
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
    // The email address answers as any other name would: a wrong password 401, the right one ok.
    expect(await attempt(deps, user.email, 'wrong')).toBe('401');
    expect(await attempt(deps, user.email, password)).toBe('ok');
  });

  it('caps the doubling wait at LOGIN_MAX_WAIT and keeps the streak across waits as long as the window', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    const waits: string[] = [];
    for (let i = 0; i < 5; i++) await attempt(deps, user.username, 'wrong');
    for (let round = 0; round < 6; round++) {
      const answer = await attempt(deps, user.username, 'wrong');
      waits.push(answer);
      const seconds = Number(answer.split(' ').pop());
      clock.advance(seconds);
      await attempt(deps, user.username, 'wrong');
    }
    expect(waits).toEqual([60, 120, 240, 480, 900, 900].map((s) => `429 retry-after ${s}`));
  });

  it('forgets failures that are further apart than the window, and a streak that has ended', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    clock.advance(901);
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('ok');
    // A locked streak ends LOGIN_FAILURE_WINDOW after its wait: then five failures again.
    for (let i = 0; i < 5; i++) await attempt(deps, user.username, 'wrong');
    clock.advance(60 + 901);
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('ok');
  });

  it('throttles one account without touching another', async () => {
    const { deps } = setup();
    const [victim, bystander] = [await newAccount(deps), await newAccount(deps)];
    for (let i = 0; i < 5; i++) await attempt(deps, victim.username, 'wrong');
    expect(await attempt(deps, victim.username, password)).toMatch(/^429/);
    expect(await attempt(deps, bystander.username, password)).toBe('ok');
  });

  it('throttles a login name without an account exactly like an account (no enumeration)', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    const unknown = `nobody_${randomUUID().slice(0, 8)}`;
    const run = async (login: string) => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await attempt(deps, login, 'wrong'));
      clock.advance(60);
      answers.push(await attempt(deps, login, 'wrong'), await attempt(deps, login, 'wrong'));
      clock.set(START);
      return answers;
    };
    const known = await run(user.username);
    expect(await run(unknown)).toEqual(known);
    expect(known).toEqual(['401', '401', '401', '401', '401', '429 retry-after 60', '401', '429 retry-after 120']);
  });

  it('reads LOGIN_MAX_FAILURES from the configuration', async () => {
    const { deps } = setup({ LOGIN_MAX_FAILURES: '2', LOGIN_MAX_WAIT: '10' });
    const user = await newAccount(deps);
    expect([await attempt(deps, user.username, 'x'), await attempt(deps, user.username, 'x')]).toEqual(['401', '401']);
    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 10');
  });
});

describe('the 24-hour budget (NIST SP 800-63B 5.2.2: at most 100 failed guesses per account in any 24 hours)', () => {
  it('admits 50 failures per login name, from every client, then everyone waits until 25 hours after the hour they began', async () => {
    // One-second waits, so the test reaches the budget without the doubling wait getting long.
    const { clock, deps } = setup({ LOGIN_MAX_WAIT: '1' });
    const user = await newAccount(deps);
    const { deviceProof } = await trustedDevice(deps, user.username);
    expect(dailyLimitPerName(deps.config.loginThrottle)).toBe(50);

    let refusedBefore = 0;
    let failures = 0;
    for (const login of [user.username, user.email]) {
      for (let i = 0; i < 60; i++) {
        const answer = await attempt(deps, login, `wrong ${i}`);
        if (answer === '401') failures += 1;
        else refusedBefore += 1;
        clock.advance(1);
      }
    }
    // Every wait was over when the next attempt came, so only the budget refused: 50 per name.
    expect(failures).toBe(100);
    expect(refusedBefore).toBe(20);
    // The owner's device proof does not open it either. Every failure was in the hour from 12:00,
    // so the wait lasts until 13:00 the next day, when no window holds that hour any more.
    const reopens = Date.UTC(2026, 10, 24, 13);
    for (const login of [user.username, user.email]) {
      expect(await attempt(deps, login, password, deviceProof)).toBe(`429 retry-after ${(reopens - clock.now()) / 1000}`);
    }
    // Not at midnight (a calendar day would open there), nor 24 hours later: 25 whole hours.
    clock.set(Date.UTC(2026, 10, 24, 0, 0, 1));
    expect(await attempt(deps, user.username, password, deviceProof)).toMatch(/^429/);
    clock.set(reopens - 1000);
    expect(await attempt(deps, user.username, password, deviceProof)).toBe('429 retry-after 1');
    clock.set(reopens);
    expect(await attempt(deps, user.username, password, deviceProof)).toBe('ok');
    expect(await attempt(deps, user.email, password, deviceProof)).toBe('ok');
  });

  /** `count` wrong passwords on `login`, a second apart (LOGIN_MAX_WAIT 1: the streak never refuses); each must be checked. */
  async function failures(deps: Dependencies, clock: ReturnType<typeof testClock>, login: string, count: number) {
    for (let i = 0; i < count; i++) {
      expect(await attempt(deps, login, `wrong ${i}`)).toBe('401');
      clock.advance(1);
    }
  }

  it('bounds every 24 hours, not calendar days: 50 failures at 23:30 leave none for 00:30 the next day', async () => {
    const { clock, deps } = setup({ LOGIN_MAX_WAIT: '1' });
    const user = await newAccount(deps);
    clock.set(Date.UTC(2026, 10, 23, 23, 30));
    await failures(deps, clock, user.username, 50);
    // A fixed UTC day would start afresh at midnight and admit 50 more within the hour.
    clock.set(Date.UTC(2026, 10, 24, 0, 30));
    const reopens = Date.UTC(2026, 10, 25, 0, 0);
    expect(await attempt(deps, user.username, 'wrong again')).toBe(`429 retry-after ${(reopens - clock.now()) / 1000}`);
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
    clock.set(Date.UTC(2026, 10, 24, 23, 59, 59));
    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 1');
    // 25 hours after the hour of the failures the budget is back, all of it.
    clock.set(reopens);
    await failures(deps, clock, user.username, 50);
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
  });

  it('lets failures leave the budget as the 24 hours roll on: half of it back once the older half is 25 hours old', async () => {
    const { clock, deps } = setup({ LOGIN_MAX_WAIT: '1' });
    const user = await newAccount(deps);
    clock.set(Date.UTC(2026, 10, 23, 10));
    await failures(deps, clock, user.username, 25);
    clock.set(Date.UTC(2026, 10, 23, 23, 30));
    await failures(deps, clock, user.username, 25);
    // The newest full window starts at 10:00 (it holds both batches): it ends with 10:59 the next day.
    clock.set(Date.UTC(2026, 10, 24, 0, 30));
    expect(await attempt(deps, user.username, 'wrong')).toBe(`429 retry-after ${10.5 * 3600}`);
    clock.set(Date.UTC(2026, 10, 24, 11));
    await failures(deps, clock, user.username, 25);
    // The 23:30 batch is still within 24 hours: 50 in all again, so nothing more.
    expect(await attempt(deps, user.username, 'wrong')).toMatch(/^429/);
  });

  it('gives a success’s failure back in the windows of the hour it was reserved in, though it settles in the next', async () => {
    const { clock, deps } = setup({ LOGIN_DAILY_MAX_FAILURES: '4', LOGIN_MAX_WAIT: '1' });
    const user = await newAccount(deps);
    const subject = nameSubject(user.username);
    clock.set(Date.UTC(2026, 10, 23, 10, 59, 58));
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    clock.advance(1);
    // Reserved at 10:59:59, settled as a success at 11:00:01.
    const reserved = await reserveLoginAttempt(user.username, undefined, deps);
    clock.advance(2);
    await reserved.succeeded();
    const hour10 = hourOf(Date.UTC(2026, 10, 23, 10));
    // Hour 10's windows hold the one failure; none of hour 11's own window went below zero.
    expect((await deps.throttles.loginCounter(subject, hour10))?.hourWindows).toEqual(Array(25).fill(1));
    expect((await deps.throttles.loginCounter(subject, hour10 + 1))?.hourWindows).toEqual([...Array(24).fill(1), 0]);
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe(`429 retry-after ${(Date.UTC(2026, 10, 24, 11) - clock.now()) / 1000}`);
    // At 11:00 the next day only the 11:00 failure is within reach: one more, not two.
    clock.set(Date.UTC(2026, 10, 24, 11));
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
  });

  it('gives the budget back for an attempt that succeeded', async () => {
    const { clock, deps } = setup({ LOGIN_DAILY_MAX_FAILURES: '4', LOGIN_MAX_WAIT: '1' });
    const user = await newAccount(deps);
    for (let i = 0; i < 10; i++) {
      expect(await attempt(deps, user.username, password)).toBe('ok');
      clock.advance(1);
    }
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
  });
});

describe('an attempt whose password was never judged (the legacy system of a lazy migration was down)', () => {
  it('is taken back whole, streak and budget, with or without a device proof', async () => {
    const { clock, deps } = setup({ LOGIN_DAILY_MAX_FAILURES: '4', LOGIN_MAX_FAILURES: '2' });
    const user = await newAccount(deps);
    const { deviceProof } = await trustedDevice(deps, user.username);
    const shown = await readDeviceProof(deviceProof!, { ...deps, settings: { issuer: deps.config.issuer } });
    const hour = hourOf(clock.now());

    // Each kept, three of either would spend the name's budget of 2 and the streaks' limit of 2: the third would be refused.
    for (let i = 0; i < 3; i++) {
      await (await reserveLoginAttempt(user.username, undefined, deps)).withdrawn();
      await (await reserveLoginAttempt(user.username, shown!.deviceId, deps)).withdrawn();
    }
    const name = await deps.throttles.loginCounter(nameSubject(user.username), hour);
    const device = await deps.throttles.loginCounter(deviceSubject(shown!.deviceId), hour);

    expect(name?.failures ?? 0).toBe(0);
    expect(name?.dayFailures ?? 0).toBe(0);
    expect(device?.failures ?? 0).toBe(0);
    // Judged attempts still count: two wrong passwords spend the name's budget.
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
  });
});

describe('a password reset', () => {
  it('ends the lock on both login names: the new password works at once', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    for (const login of [user.username, user.email]) for (let i = 0; i < 6; i++) await attempt(deps, login, 'wrong');
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
    expect(await attempt(deps, user.email, password)).toMatch(/^429/);

    await requestPasswordReset(user.email, deps);
    const token = tokenIn(linkIn(await newestMail(user.email, { subject: 'Reset' })));
    const newPassword = `Pw-${randomUUID()}`;
    await resetPassword(token, newPassword, deps);

    expect(await attempt(deps, user.username, newPassword)).toBe('ok');
    expect(await attempt(deps, user.email, newPassword)).toBe('ok');
    // And the counters start from zero.
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, newPassword)).toBe('ok');
  });
});

/** A device proof from a successful login. */
async function trustedDevice(deps: Dependencies, login: string) {
  return authenticate({ login, password }, deps, {}, async () => undefined);
}
