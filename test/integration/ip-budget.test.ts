// The per-source-address budget against DynamoDB Local: the count per address, action and minute,
// 429 with Retry-After beyond it, and every budgeted route (native and compatibility) wired to it.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { budgetAddress } from '../../lib/abuse/ip-budget.ts';
import { TooManyRequestsError } from '../../lib/domain/errors.ts';
import { ipBudget } from '../../lib/http/ip-budget-guard.ts';
import type { HttpEvent } from '../../lib/http/types.ts';
import { testClock } from '../support/clock.ts';
import { stackEnv, testDependencies } from '../support/deps.ts';
import { httpEvent } from '../support/http-event.ts';

/** An address no other test run uses, so counts start at zero. */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

function from(ip: string, options: Parameters<typeof httpEvent>[0] = {}): HttpEvent {
  const event = httpEvent({ body: '{}', headers: { 'content-type': 'application/json' }, ...options });
  event.requestContext.http.sourceIp = ip;
  return event;
}

describe('budgetAddress', () => {
  it('counts an IPv4-mapped or NAT64 (64:ff9b::/96) address as the IPv4 address it carries', () => {
    for (const form of ['::ffff:192.0.2.33', '::FFFF:192.0.2.33', '::ffff:c000:221', '0:0:0:0:0:ffff:c000:0221', '64:ff9b::192.0.2.33', '64:ff9b::c000:221']) {
      expect([form, budgetAddress(form)]).toEqual([form, '192.0.2.33']);
    }
    // Not IPv4 carriers: the local-use NAT64 prefix 64:ff9b:1::/48 and IPv4-compatible ::/96 stay IPv6 /64s.
    expect(budgetAddress('64:ff9b:1::c000:221')).toBe('64:ff9b:1:0::/64');
    expect(budgetAddress('::c000:221')).toBe('0:0:0:0::/64');
  });

  it('keeps IPv4 addresses and groups IPv6 addresses by their /64', () => {
    expect(budgetAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(budgetAddress('2001:db8:85a3:1:8a2e:370:7334:1')).toBe('2001:db8:85a3:1::/64');
    expect(budgetAddress('2001:DB8:85a3:0001:ffff::2')).toBe('2001:db8:85a3:1::/64');
    expect(budgetAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(budgetAddress('::1')).toBe('0:0:0:0::/64');
    expect(budgetAddress('2001:db8:85a3:1::')).toBe(budgetAddress('2001:db8:85a3:1:ffff:ffff:ffff:ffff'));
  });
});

describe('the per-address budget', () => {
  const clock = testClock(Date.UTC(2026, 10, 23, 12, 0, 15));
  const deps = testDependencies(clock, { IP_RATE_LIMIT_PER_MINUTE: '3' });
  const guard = ipBudget('password', deps);

  it('lets the limit through, then answers 429 until the minute is over', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await guard(from(ip));
    const refused = await guard(from(ip)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(45);

    clock.advance(45);
    await expect(guard(from(ip))).resolves.toBeUndefined();
  });

  it('keeps separate budgets per address and per action', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await guard(from(ip));
    await expect(guard(from(ip))).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(guard(from(freshIp()))).resolves.toBeUndefined();
    await expect(ipBudget('register', deps)(from(ip))).resolves.toBeUndefined();
  });

  it('is one budget for an IPv4 client and its IPv4-mapped and NAT64 spellings', async () => {
    const ip = freshIp();
    await guard(from(ip));
    await guard(from(`::ffff:${ip}`));
    await guard(from(`64:ff9b::${ip}`));
    await expect(guard(from(`::ffff:${ip}`))).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(guard(from(ip))).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('counts concurrent requests exactly (atomic ADD)', async () => {
    const ip = freshIp();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => guard(from(ip))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
  });

  it('is off when IP_RATE_LIMIT_PER_MINUTE is 0', async () => {
    const off = ipBudget('password', testDependencies(clock, { IP_RATE_LIMIT_PER_MINUTE: '0' }));
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await off(from(ip));
  });
});

describe('every budgeted route spends the budget before anything else', () => {
  // The handlers read their configuration from the environment at first use.
  beforeAll(() => {
    Object.assign(process.env, stackEnv({ IP_RATE_LIMIT_PER_MINUTE: '1' }));
    // Mid-minute, so two requests never straddle a minute boundary.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 23, 12, 0, 20));
  });
  afterAll(() => vi.useRealTimers());

  const routes: [string, string, string][] = [
    ['login', 'POST', '/login'],
    ['register', 'POST', '/register'],
    ['password-forgot', 'POST', '/password/forgot'],
    ['service-token', 'POST', '/service-token'],
    ['email-verify-resend', 'POST', '/email/verify/resend'],
    ['compat-tcap', 'POST', '/token-auth/api/login'],
    ['compat-tcap', 'POST', '/token-auth/tcap'],
    ['compat-eclecticiq', 'POST', '/auth'],
    ['compat-eclecticiq', 'POST', '/api/auth'],
    ['compat-opentact', 'GET', '/rest/auth'],
    ['compat-minisass', 'POST', '/authentication/api/login'],
    ['compat-minisass', 'POST', '/authentication/api/token'],
    ['compat-minisass', 'POST', '/authentication/api/register'],
    ['compat-minisass', 'POST', '/authentication/api/request-reset'],
  ];

  it.each(routes)('%s %s %s', async (fn, method, path) => {
    const { handler } = (await import(`../../functions/${fn}.ts`)) as {
      handler: (e: HttpEvent, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string> }>;
    };
    const ip = freshIp();
    const event = () => from(ip, { method, path, body: method === 'GET' ? undefined : '{}' });
    const first = await handler(event(), {});
    expect(first.statusCode).not.toBe(429);
    const second = await handler(event(), {});
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('40');
  });

  type Handler = (e: HttpEvent, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string> }>;
  const handlerOf = async (fn: string) => ((await import(`../../functions/${fn}.ts`)) as { handler: Handler }).handler;

  // Every route that checks a password spends one shared budget: with a limit of 1, one request to
  // any of them leaves none for the others (the first one here is /login).
  const passwordRoutes = routes.filter(
    ([fn, , path]) => !['register', 'password-forgot', 'email-verify-resend'].includes(fn) && !/register|request-reset/.test(path),
  );

  it.each(passwordRoutes.slice(1))('login and %s %s %s from one address share one password budget', async (fn, method, path) => {
    const ip = freshIp();
    const login = await (await handlerOf('login'))(from(ip, { method: 'POST', path: '/login' }), {});
    expect(login.statusCode).not.toBe(429);
    const other = await (await handlerOf(fn))(from(ip, { method, path, body: method === 'GET' ? undefined : '{}' }), {});
    expect(other.statusCode).toBe(429);
  });

  it('a service token for a bearer token (no password checked) spends its own budget, not the password budget', async () => {
    const ip = freshIp();
    const serviceToken = await handlerOf('service-token');
    const bearer = () =>
      from(ip, { method: 'POST', path: '/service-token', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' } });
    expect((await serviceToken(bearer(), {})).statusCode).not.toBe(429);
    expect((await serviceToken(bearer(), {})).statusCode).toBe(429);
    // The password budget is untouched: a login from the address still gets its password checked.
    expect((await (await handlerOf('login'))(from(ip, { method: 'POST', path: '/login' }), {})).statusCode).not.toBe(429);
    // And once the password budget is spent, a bearer header does not buy more password checks.
    const both = from(ip, {
      method: 'POST',
      path: '/service-token',
      body: '{"username":"x","password":"y","requested_service":"hash-verification"}',
      headers: { 'content-type': 'application/json' },
    });
    expect((await serviceToken(both, {})).statusCode).toBe(429);
  });

  it('does not spend it on the pages (GET /password/forgot)', async () => {
    const { handler } = await import('../../functions/password-forgot.ts');
    const ip = freshIp();
    for (let i = 0; i < 3; i++)
      expect((await handler(from(ip, { method: 'GET', path: '/password/forgot', body: undefined }), {} as never)).statusCode).toBe(200);
  });
});
