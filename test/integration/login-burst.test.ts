// Atomic attempt accounting against DynamoDB Local: a concurrent burst of wrong passwords gets at
// most LOGIN_MAX_FAILURES of them checked (argon2 verifications counted through a spy on the
// hashing module), on every use case a login route calls, and at the edge of the rolling 24-hour
// budget; and the reservation itself, raced on the store, admits exactly as many attempts as its
// condition allows.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { InvalidCredentialsError, TooManyRequestsError } from '../../lib/domain/errors.ts';
import { hourOf } from '../../lib/domain/throttle.ts';
import { authenticate, authenticateUser, login } from '../../lib/use-cases/login.ts';
import { register } from '../../lib/use-cases/register.ts';
import { requestServiceToken } from '../../lib/use-cases/service-token.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';

const verified = vi.hoisted(() => ({ count: 0 }));

// The seam: every password check goes through verifyPassword; the spy counts them and checks for real.
vi.mock('../../lib/passwords/hashing.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/passwords/hashing.ts')>();
  return {
    ...original,
    verifyPassword: async (...args: Parameters<typeof original.verifyPassword>) => {
      verified.count += 1;
      return original.verifyPassword(...args);
    },
  };
});

const password = 'correct horse battery staple';
const START = Date.UTC(2026, 10, 23, 12);
const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '7168', ARGON2_ITERATIONS: '1' };
const BURST = 30;

function setup(env: Record<string, string> = {}) {
  const clock = testClock(START);
  return { clock, deps: testDependencies(clock, { ...FAST_ARGON2, ...env }) };
}

async function newAccount(deps: Dependencies) {
  const s = randomUUID().slice(0, 8);
  return register({ username: `burst_${s}`, email: `burst_${s}@example.com`, password }, deps);
}

/** 401 or 429; anything else fails the test. */
async function outcome(attempt: Promise<unknown>): Promise<'401' | '429'> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return '401';
    if (error instanceof TooManyRequestsError) return '429';
    throw error;
  }
  throw new Error('a wrong password was accepted');
}

/** Fires `attempts` at once and returns how many passwords were verified, and the answers. */
async function burst(attempts: (() => Promise<unknown>)[]) {
  verified.count = 0;
  const answers = await Promise.all(attempts.map((attempt) => outcome(attempt())));
  return { checked: verified.count, refused: answers.filter((a) => a === '429').length, failed: answers.filter((a) => a === '401').length };
}

describe('a concurrent burst of wrong passwords', () => {
  it(`gets at most LOGIN_MAX_FAILURES (5) of ${BURST} checked`, async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const result = await burst(Array.from({ length: BURST }, (_, i) => () => authenticateUser({ login: user.username, password: `wrong ${i}` }, deps)));
    expect(result.checked).toBeLessThanOrEqual(5);
    expect(result.checked).toBeGreaterThan(0);
    expect(result.failed).toBe(result.checked);
    expect(result.refused).toBe(BURST - result.checked);
  });

  it('holds across every use case a login route calls: /login, /service-token, the dialects (authenticate)', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const ways = [
      (i: number) => login({ login: user.username, password: `wrong ${i}` }, deps),
      (i: number) => requestServiceToken(undefined, { requested_service: 'Hash Verification', username: user.username, password: `wrong ${i}` }, deps),
      (i: number) => authenticate({ login: ` ${user.username} `.trim(), password: `wrong ${i}` }, deps, {}, async () => undefined),
    ];
    const result = await burst(Array.from({ length: BURST }, (_, i) => () => ways[i % ways.length]!(i)));
    expect(result.checked).toBeLessThanOrEqual(5);
  });

  it('gets exactly one checked per wait once the streak is past the limit', async () => {
    const { clock, deps } = setup();
    const user = await newAccount(deps);
    for (let i = 0; i < 5; i++) await outcome(authenticateUser({ login: user.username, password: 'wrong' }, deps));
    clock.advance(60);
    const result = await burst(Array.from({ length: BURST }, (_, i) => () => authenticateUser({ login: user.username, password: `wrong ${i}` }, deps)));
    expect(result.checked).toBe(1);
    expect(result.refused).toBe(BURST - 1);
  });

  it('gets at most 5 checked with a (stolen) device proof, and then at most 5 more on the name: the device locks, then counts as none', async () => {
    const { deps } = setup();
    const user = await newAccount(deps);
    const { deviceProof } = await authenticate({ login: user.username, password }, deps, {}, async () => undefined);
    const result = await burst(
      Array.from({ length: BURST }, (_, i) => () => authenticateUser({ login: user.username, password: `wrong ${i}` }, deps, { deviceProof })),
    );
    expect(result.checked).toBeLessThanOrEqual(10);
    expect(result.checked).toBeGreaterThan(0);
  });
});

describe('the reservation', () => {
  const reservation = (subject: string, now: number) => ({
    subject,
    now,
    streak: { form: 'continue' as const, maxFailures: 5, provisionalOpenAt: now + 900_000, provisionalEndsAt: now + 1_800_000 },
    budget: { hour: hourOf(now), limit: 50 },
    expiresAt: Math.floor(now / 1000) + 3600,
  });

  it('raced 30 times on a fresh counter: the conditional write admits exactly LOGIN_MAX_FAILURES', async () => {
    const { deps } = setup();
    const subject = `username:race_${randomUUID()}`;
    const outcomes = await Promise.all(Array.from({ length: BURST }, () => deps.throttles.reserveLoginAttempt(reservation(subject, START))));
    const admitted = outcomes.filter((o) => o.reserved);
    expect(admitted).toHaveLength(5);
    // Each admitted attempt got its own place in the streak: no lost or doubled count.
    expect(admitted.map((o) => (o.reserved ? o.failures : 0)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await deps.throttles.loginCounter(subject, hourOf(START))).toMatchObject({ failures: 5, dayFailures: 5, hourWindows: Array(25).fill(5) });
  });

  it('raced past the limit once the wait is over: exactly one is admitted, and it holds the counter until settled', async () => {
    const { deps } = setup();
    const subject = `username:race_${randomUUID()}`;
    for (let i = 0; i < 5; i++) await deps.throttles.reserveLoginAttempt(reservation(subject, START));
    // Settled as five failures: the wait ends a minute after the last.
    await deps.throttles.settleLoginAttempt({ subject, streak: { kind: 'failed', failures: 5, openAt: START + 60_000, streakEndsAt: START + 960_000 } });
    const later = START + 60_000;
    const outcomes = await Promise.all(Array.from({ length: BURST }, () => deps.throttles.reserveLoginAttempt(reservation(subject, later))));
    expect(outcomes.filter((o) => o.reserved)).toHaveLength(1);
    expect(await deps.throttles.loginCounter(subject, 0)).toMatchObject({ failures: 6, openAt: later + 900_000 });
  });

  it('raced at the edge of the 24-hour budget: exactly the failures left are admitted, and every window stays within the limit', async () => {
    const { deps } = setup();
    const subject = `username:race_${randomUUID()}`;
    const budget = (now: number) => ({ subject, now, budget: { hour: hourOf(now), limit: 50 }, expiresAt: Math.floor(now / 1000) + 90_000 });
    const evening = Date.UTC(2026, 10, 23, 20);
    for (let i = 0; i < 45; i++) expect((await deps.throttles.reserveLoginAttempt(budget(evening))).reserved).toBe(true);
    const night = Date.UTC(2026, 10, 24, 2);
    const outcomes = await Promise.all(Array.from({ length: BURST }, () => deps.throttles.reserveLoginAttempt(budget(night))));
    expect(outcomes.filter((o) => o.reserved)).toHaveLength(5);
    // The windows holding both 20:00 and 02:00 are full; the later ones hold only the night's five.
    const windows = (await deps.throttles.loginCounter(subject, hourOf(night)))?.hourWindows;
    expect(windows).toEqual([...Array(19).fill(50), ...Array(6).fill(5)]);
  });
});

describe('a concurrent burst at the edge of the 24-hour budget', () => {
  it('gets exactly the failures left in the budget checked, across midnight', async () => {
    // A streak limit out of reach, so that only the budget (50 per login name) refuses.
    const { clock, deps } = setup({ LOGIN_MAX_FAILURES: '1000' });
    const user = await newAccount(deps);
    clock.set(Date.UTC(2026, 10, 23, 20));
    for (let i = 0; i < 45; i++) expect(await outcome(authenticateUser({ login: user.username, password: `wrong ${i}` }, deps))).toBe('401');
    clock.set(Date.UTC(2026, 10, 24, 2));
    const result = await burst(Array.from({ length: BURST }, (_, i) => () => authenticateUser({ login: user.username, password: `late ${i}` }, deps)));
    expect(result.checked).toBe(5);
    expect(result.refused).toBe(BURST - 5);
  });
});
