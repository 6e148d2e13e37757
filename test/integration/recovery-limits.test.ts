// The per-address quota of reset mails (issue 15, finding 3) against DynamoDB Local and
// aws-ses-v2-local: a flood of forgot-password requests delivers at most MAIL_PER_ADDRESS_PER_HOUR
// mails, concurrent requests at the boundary cannot pass it together, every spelling of an address
// shares one count, and over the handlers (native and miniSASS) the answer is the same whether the
// account is real, unknown, or over its quota.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimMailQuota } from '../../lib/abuse/mail-quota.ts';
import { normaliseEmail } from '../../lib/domain/identity.ts';
import { requestPasswordReset } from '../../lib/use-cases/password-reset-request.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { mailsTo } from '../support/mailbox.ts';
import { type Answer, CHEAP_ARGON2, type Handler, type Handlers, keepProcessEnv, loadService, newAccount, send } from '../support/service-handlers.ts';
import { storedUser, updateStoredUser } from '../support/users.ts';

keepProcessEnv();

/** 12:20 UTC: every request of a test falls in one clock hour. */
const START = Date.UTC(2026, 10, 23, 12, 20, 0);
const LIMIT = 3;

function setup(): Dependencies {
  return testDependencies(testClock(START), { MAIL_REQUEST_MIN_MS: '0' });
}

describe('forgot-password for one address', () => {
  it(`delivers at most ${LIMIT} of 35 rapid requests, and every one answers alike`, async () => {
    const deps = setup();
    expect(deps.config.mailPerAddressPerHour).toBe(LIMIT);
    const user = await storedUser(deps, 'flood');

    const answers: unknown[] = [];
    for (let i = 0; i < 35; i++) answers.push(await requestPasswordReset(user.email, deps));
    expect(new Set(answers)).toEqual(new Set([undefined]));
    expect(await mailsTo(user.email)).toHaveLength(LIMIT);
  });

  it(`lets concurrent requests at the boundary send ${LIMIT} in all: the conditional write decides`, async () => {
    const deps = setup();
    const user = await storedUser(deps, 'race');
    for (let i = 0; i < LIMIT - 1; i++) await requestPasswordReset(user.email, deps);

    await Promise.all(Array.from({ length: 20 }, () => requestPasswordReset(user.email, deps)));
    expect(await mailsTo(user.email)).toHaveLength(LIMIT);
  });

  it('counts each address once per clock hour, whatever the spelling', async () => {
    const deps = setup();
    const address = `quota.${randomUUID().slice(0, 8)}@example.com`;
    const other = address.replace('@example.com', '@EXAMPLE.com');
    expect(normaliseEmail(other)).toBe(normaliseEmail(address));

    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => claimMailQuota('reset', i % 2 ? other : address, deps)));
    expect(claims.filter(Boolean)).toHaveLength(LIMIT);
    // Verification mails have a count of their own.
    expect(await claimMailQuota('verify', address, deps)).toBe(true);
  });

  it('gives the address its quota again in the next clock hour', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, { MAIL_REQUEST_MIN_MS: '0' });
    const user = await storedUser(deps, 'hourly');
    for (let i = 0; i < LIMIT + 2; i++) await requestPasswordReset(user.email, deps);
    expect(await mailsTo(user.email)).toHaveLength(LIMIT);

    clock.advance(40 * 60); // 13:00
    await requestPasswordReset(user.email, deps);
    expect(await mailsTo(user.email)).toHaveLength(LIMIT + 1);
  });

  it('follows MAIL_PER_ADDRESS_PER_HOUR', async () => {
    const deps = testDependencies(testClock(START), { MAIL_REQUEST_MIN_MS: '0', MAIL_PER_ADDRESS_PER_HOUR: '1' });
    const user = await storedUser(deps, 'one');
    for (let i = 0; i < 3; i++) await requestPasswordReset(user.email, deps);
    expect(await mailsTo(user.email)).toHaveLength(1);
  });
});

describe('over the handlers, real, unknown and over-quota addresses get one answer', () => {
  let handlers: Handlers;
  let miniSass: Handler;
  let deps: Dependencies;

  beforeAll(async () => {
    // Mid-hour, frozen: the flood below never straddles an hour.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    ({ handlers, deps } = await loadService(stackEnv({ ...CHEAP_ARGON2, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0' })));
    miniSass = (await import('../../functions/compat-minisass.ts')).handler as Handler;
  });
  afterAll(() => {
    vi.useRealTimers();
    deps.db.destroy();
  });

  /** Status and body: what a client can compare (the headers differ only by request id and date). */
  const seen = (answer: Answer) => JSON.stringify({ status: answer.status, body: answer.body });

  it.each([
    ['forgot-password', '/password/forgot', 202],
    ['miniSASS request-reset', '/authentication/api/request-reset', 200],
  ])('%s', async (name, path, status) => {
    const handler = name === 'forgot-password' ? handlers.forgot : miniSass;
    const account = newAccount();
    expect((await send(handlers.register, '/register', { body: account })).status).toBe(201);
    const disabled = newAccount();
    const disabledId = ((await send(handlers.register, '/register', { body: disabled })).body.user as { id: string }).id;
    await updateStoredUser(deps, disabledId, { status: 'disabled' });

    const real: string[] = [];
    for (let i = 0; i < 35; i++) real.push(seen(await send(handler, path, { body: { email: account.email } })));
    const others = [
      seen(await send(handler, path, { body: { email: `nobody_${randomUUID()}@example.com` } })),
      seen(await send(handler, path, { body: { email: disabled.email } })),
    ];

    // Under the quota (the first three), over it (the rest), unknown and disabled: one answer.
    expect(new Set([...real, ...others]).size).toBe(1);
    expect(JSON.parse(real[0]!).status).toBe(status);
    expect(await mailsTo(account.email, { subject: 'Reset' })).toHaveLength(LIMIT);
    expect(await mailsTo(disabled.email, { subject: 'Reset' })).toEqual([]);
  });

  it('verification resend by address', async () => {
    const account = newAccount();
    expect((await send(handlers.register, '/register', { body: account })).status).toBe(201);
    const answers: string[] = [];
    // The per-user minute would silence most of these anyway; step past it each time.
    for (let i = 0; i < 6; i++) {
      answers.push(seen(await send(handlers.resend, '/email/verify/resend', { body: { email: account.email } })));
      vi.setSystemTime(Date.now() + 61_000);
    }
    answers.push(seen(await send(handlers.resend, '/email/verify/resend', { body: { email: `nobody_${randomUUID()}@example.com` } })));
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0]!).status).toBe(202);
    // Registration's mail and two resends; the other four resends sent nothing.
    expect(await mailsTo(account.email, { subject: 'Confirm' })).toHaveLength(LIMIT);
  });
});
