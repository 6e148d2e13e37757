// Failed-login throttling against DynamoDB Local with a frozen clock: the streak, the doubling
// wait, the correct password refused during a wait, the reset on success, the window, accounts
// independent of each other, and unknown names throttled exactly like real accounts.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginSubject, waitSeconds } from '../../lib/abuse/login-throttle.ts';
import { InvalidCredentialsError, TooManyRequestsError } from '../../lib/domain/errors.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';

const password = 'correct horse battery staple';
const policy = { maxFailures: 5, windowSeconds: 900, maxWaitSeconds: 900 };

function setup() {
  const clock = testClock(Date.UTC(2026, 10, 23, 12));
  const deps = testDependencies(clock);
  return { clock, deps };
}

async function newAccount(deps: ReturnType<typeof setup>['deps']) {
  const s = randomUUID().slice(0, 8);
  return register({ username: `thr_${s}`, email: `thr_${s}@example.com`, password }, deps);
}

/** What one attempt answers: 'ok', 401, or 429 with its Retry-After. */
async function attempt(deps: ReturnType<typeof setup>['deps'], login: string, pw: string): Promise<string> {
  try {
    await authenticateUser({ login, password: pw }, deps);
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
    expect(await attempt(deps, user.email, password)).toBe('429 retry-after 30');

    clock.advance(30);
    expect(await attempt(deps, user.username, 'wrong again')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 120');

    clock.advance(120);
    expect(await attempt(deps, user.username, password)).toBe('ok');
    // The streak is over: five more failures before the next wait.
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    expect(await attempt(deps, user.username, password)).toBe('ok');
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

  it('forgets failures that are further apart than the window', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    for (let i = 0; i < 4; i++) expect(await attempt(deps, user.username, 'wrong')).toBe('401');
    clock.advance(901);
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
      clock.set(Date.UTC(2026, 10, 23, 12));
      return answers;
    };
    const known = await run(user.username);
    expect(await run(unknown)).toEqual(known);
    expect(known).toEqual(['401', '401', '401', '401', '401', '429 retry-after 60', '401', '429 retry-after 120']);
  });

  it('counts every one of many concurrent failures (atomic counter, no lost updates)', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const answers = await Promise.all(Array.from({ length: 12 }, () => attempt(deps, user.username, 'wrong')));
    expect(answers.filter((a) => a === '401').length).toBeGreaterThanOrEqual(5);
    const state = await deps.throttles.loginFailures(loginSubject(user, user.username));
    expect(state?.failures).toBe(answers.filter((a) => a === '401').length);
    expect(await attempt(deps, user.username, password)).toMatch(/^429/);
  });

  it('reads LOGIN_MAX_FAILURES from the configuration', async () => {
    const clock = testClock(Date.UTC(2026, 10, 23, 12));
    const deps = testDependencies(clock, { LOGIN_MAX_FAILURES: '2', LOGIN_MAX_WAIT: '10' });
    const user = await newAccount(deps);
    expect([await attempt(deps, user.username, 'x'), await attempt(deps, user.username, 'x')]).toEqual(['401', '401']);
    expect(await attempt(deps, user.username, password)).toBe('429 retry-after 10');
  });
});
