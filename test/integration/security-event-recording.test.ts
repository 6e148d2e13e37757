// The events the existing actions record (use cases on DynamoDB Local, KMS and SES): a lockout, a
// password reset, a reused refresh token, a logout, factors added and removed, recovery codes, and
// the admin CLI's disable / enable / mfa reset (channel `admin`); and `admin events` reading them.
import { describe, expect, it } from 'vitest';
import { disableUser, enableUser } from '../../lib/admin/accounts.ts';
import { parseCommandLine } from '../../lib/admin/command-line.ts';
import { UsageError } from '../../lib/admin/errors.ts';
import { eventsJson, eventsQuery, formatUserEvents, listUserEvents } from '../../lib/admin/events.ts';
import { resetUserFactors } from '../../lib/admin/mfa.ts';
import { TooManyRequestsError } from '../../lib/domain/errors.ts';
import type { SecurityEventType } from '../../lib/domain/security-event.ts';
import type { User } from '../../lib/domain/user.ts';
import { totpCodeAt } from '../../lib/mfa/totp.ts';
import { hashPassword } from '../../lib/passwords/hashing.ts';
import { toEpochSeconds } from '../../lib/support/clock.ts';
import { authenticateUser } from '../../lib/use-cases/login.ts';
import { logout } from '../../lib/use-cases/logout.ts';
import { confirmTotpEnrolment, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from '../../lib/use-cases/mfa-totp.ts';
import { resetPassword } from '../../lib/use-cases/password-reset.ts';
import { requestPasswordReset } from '../../lib/use-cases/password-reset-request.ts';
import { refreshSession, startSession } from '../../lib/use-cases/sessions.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { linkIn, newestMail, tokenIn } from '../support/mailbox.ts';
import { storedUser } from '../support/users.ts';

const START = Date.UTC(2026, 10, 30, 5, 0, 0);

async function recorded(deps: Dependencies, user: Pick<User, 'id'>) {
  return (await deps.securityEvents.list(user.id, { limit: 100 }, toEpochSeconds(deps.clock.now()))).events;
}
const typesOf = async (deps: Dependencies, user: Pick<User, 'id'>): Promise<SecurityEventType[]> => (await recorded(deps, user)).map((event) => event.type);

describe('events recorded by the existing actions', () => {
  it('a lockout: each refused attempt of an existing account, none for an unknown name', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, { LOGIN_MAX_FAILURES: '2', LOGIN_MAX_WAIT: '60' });
    const password = 'correct horse battery staple';
    const user = await storedUser(deps, 'lock', { passwordHash: await hashPassword(password, deps.config.argon2) });
    for (let attempt = 0; attempt < 2; attempt += 1) await expect(authenticateUser({ login: user.username, password: 'wrong' }, deps)).rejects.toThrow();
    await expect(authenticateUser({ login: user.username, password }, deps)).rejects.toBeInstanceOf(TooManyRequestsError);
    // The clock is frozen: events of one millisecond have no order among themselves.
    const events = await recorded(deps, user);
    expect(events.map((event) => event.type).sort()).toEqual(['login_failed', 'login_failed', 'login_locked_out']);
    expect(events.find((event) => event.type === 'login_failed')!.details).toEqual({ reason: 'wrong_password' });

    clock.advance(3600);
    await authenticateUser({ login: user.email, password }, deps);
    expect((await recorded(deps, user))[0]).toMatchObject({ type: 'login_succeeded', details: { method: 'password' } });
  });

  it('a password reset', async () => {
    const deps = testDependencies(testClock(Date.now()));
    const user = await storedUser(deps, 'reset');
    await requestPasswordReset(user.email, deps);
    const token = tokenIn(linkIn(await newestMail(user.email, { subject: 'Reset' })));
    await resetPassword(token, 'a brand new passphrase 42', deps);
    expect(await typesOf(deps, user)).toEqual(['password_reset']);
  });

  it('a reused refresh token (its session named) and a logout', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock, { REFRESH_REUSE_GRACE_SECONDS: '0' });
    const user = await storedUser(deps, 'reuse');
    const first = await startSession(user, deps);
    await refreshSession(first.refreshToken, deps);
    await expect(refreshSession(first.refreshToken, deps)).rejects.toThrow();
    const [reused] = await recorded(deps, user);
    expect(reused).toMatchObject({ type: 'refresh_token_reused', details: { session_id: first.sessionId } });

    clock.advance(1);
    const second = await startSession(user, deps);
    const caller = await deps.tokenChecker.check(second.accessToken.token, deps.accessTokens.audience);
    await logout(caller, undefined, deps);
    expect((await recorded(deps, user))[0]).toMatchObject({ type: 'session_ended', details: { session_id: second.sessionId } });
  });

  it('an authenticator app added and removed, recovery codes regenerated, and an admin mfa reset', async () => {
    const clock = testClock(Date.now());
    const deps = testDependencies(clock);
    const recent = () => ({ authTime: toEpochSeconds(clock.now()), amr: ['pwd', 'otp', 'mfa'] });
    const user = await storedUser(deps, 'factor');
    const { secret } = await startTotpEnrolment(user, deps, recent());
    await confirmTotpEnrolment(user, totpCodeAt(secret, clock.now()), deps, recent());
    clock.advance(1);
    await regenerateRecoveryCodes(user, deps, recent());
    clock.advance(1);
    await removeTotp(user, deps, recent());
    clock.advance(1);
    const again = await startTotpEnrolment(user, deps, recent());
    await confirmTotpEnrolment(user, totpCodeAt(again.secret, clock.now() + 30_000), deps, recent());
    clock.advance(31);
    await resetUserFactors(user.username, deps);
    const events = await recorded(deps, user);
    expect(events.map((event) => [event.type, event.details?.factor, event.channel])).toEqual([
      ['mfa_factor_removed', 'totp', 'admin'],
      ['mfa_factor_added', 'totp', 'native'],
      ['mfa_factor_removed', 'totp', 'native'],
      ['recovery_codes_regenerated', undefined, 'native'],
      ['mfa_factor_added', 'totp', 'native'],
    ]);
    expect(events[0]!.details).toEqual({ factor: 'totp', reason: 'admin_reset' });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('admin disable and enable, once each however often they are repeated', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock);
    const user = await storedUser(deps, 'status');
    await disableUser(user.username, deps);
    clock.advance(1);
    await disableUser(user.username, deps);
    clock.advance(1);
    await enableUser(user.id, deps);
    await enableUser(user.id, deps);
    const events = await recorded(deps, user);
    expect(events.map((event) => [event.type, event.channel])).toEqual([
      ['account_enabled', 'admin'],
      ['account_disabled', 'admin'],
    ]);
  });
});

describe('admin events', () => {
  it('lists a user’s events newest first, filtered by type and time, as text or JSON', async () => {
    const clock = testClock(START);
    const deps = testDependencies(clock);
    const user = await storedUser(deps, 'adminev');
    for (const type of ['login_succeeded', 'login_failed', 'api_token_created', 'login_failed'] as const) {
      await deps.securityEvents.append({
        id: `${type}-${clock.now()}`,
        userId: user.id,
        type,
        at: clock.now(),
        channel: 'native',
        ipPrefix: '203.0.113.0/24',
        userAgent: 'curl/8',
        details: { reason: 'x' },
        expiresAt: toEpochSeconds(clock.now()) + 86_400 * 30,
      });
      clock.advance(86_400);
    }
    const all = await listUserEvents(user.email, {}, deps);
    expect(all.events.map((event) => event.type)).toEqual(['login_failed', 'api_token_created', 'login_failed', 'login_succeeded']);
    expect(all.more).toBe(false);
    const text = formatUserEvents(all);
    expect(text).toContain(`Security events of ${user.username} (id ${user.id}), newest first:`);
    expect(text).toContain('203.0.113.0/24');
    expect(text.split('\n')[1]).toContain(new Date(START + 3 * 86_400_000).toISOString());

    expect((await listUserEvents(user.username, { type: 'login_failed' }, deps)).events).toHaveLength(2);
    // Now is START + 4 days: --since 2d keeps the last two.
    expect((await listUserEvents(user.id, { since: '2d' }, deps)).events.map((event) => event.type)).toEqual(['login_failed', 'api_token_created']);
    const since = new Date(START + 86_400_000).toISOString().slice(0, 10);
    expect((await listUserEvents(user.id, { since }, deps)).events).toHaveLength(3);
    const limited = await listUserEvents(user.id, { limit: '1' }, deps);
    expect(limited.events).toHaveLength(1);
    expect(limited.more).toBe(true);
    expect(formatUserEvents(limited)).toContain('raise --limit');
    expect(eventsJson(limited)[0]).toMatchObject({ user_id: user.id, type: 'login_failed', ip_prefix: '203.0.113.0/24' });
    expect(formatUserEvents(await listUserEvents(user.id, { type: 'account_deleted' }, deps))).toContain('No security events');
  });

  it('refuses bad options by name, and the command line takes them only for events', () => {
    const now = START;
    expect(() => eventsQuery({ type: 'login_failed,nope' }, now)).toThrow(/--type.*"nope"/);
    expect(() => eventsQuery({ since: 'yesterday' }, now)).toThrow(/--since/);
    expect(() => eventsQuery({ since: '2026-11-01T10:00' }, now)).toThrow(/--since/);
    expect(() => eventsQuery({ limit: '0' }, now)).toThrow(/--limit/);
    expect(() => eventsQuery({ limit: '1001' }, now)).toThrow(UsageError);
    expect(eventsQuery({ since: '30m', limit: '5', type: 'login_failed' }, now)).toEqual({ since: now - 1_800_000, limit: 5, types: ['login_failed'] });
    expect(parseCommandLine(['events', 'jane', '--type', 'login_failed', '--since', '7d', '--limit', '10', '--json'])).toMatchObject({
      command: 'events',
      args: { user: 'jane' },
      json: true,
      events: { type: 'login_failed', since: '7d', limit: '10' },
    });
    expect(() => parseCommandLine(['events'])).toThrow(UsageError);
    expect(() => parseCommandLine(['list', 'jane', '--since', '7d'])).toThrow(/does not take --since/);
  });
});
