// Enumeration resistance (ASVS 6.3.8) over HTTP: login, forgot-password and verification resend
// answer an existing and an unknown account with the same status and body, and in similar time:
// the medians of 30 requests each may differ by at most 25%. Requests alternate between the two
// cases so that a busy moment on the machine hits both alike. Forgot-password for an address that
// has had its hourly quota of mails (MAIL_PER_ADDRESS_PER_HOUR) looks the same too.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { register } from '../../lib/use-cases/register.ts';
import { testDependencies } from '../support/deps.ts';
import { mailsTo } from '../support/mailbox.ts';
import { type ApiResponse, api, newUser, suffix } from './helpers.ts';

const SAMPLES = 30;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed(request: () => Promise<ApiResponse>): Promise<{ ms: number; res: ApiResponse }> {
  const started = performance.now();
  const res = await request();
  return { ms: performance.now() - started, res };
}

/** Runs both cases alternately; returns the median of each and every answer seen. */
async function compare(known: (i: number) => Promise<ApiResponse>, unknown: (i: number) => Promise<ApiResponse>) {
  const times = { known: [] as number[], unknown: [] as number[] };
  const answers = new Set<string>();
  // One untimed round first: the first call of a function pays its cold start.
  await known(SAMPLES);
  await unknown(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    for (const [kind, request] of [
      ['known', known],
      ['unknown', unknown],
    ] as const) {
      const { ms, res } = await timed(() => request(i));
      times[kind].push(ms);
      answers.add(`${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  const [k, u] = [median(times.known), median(times.unknown)];
  return { known: k, unknown: u, ratio: Math.max(k, u) / Math.min(k, u), answers: [...answers] };
}

describe('existing and unknown accounts look the same', { timeout: 120_000 }, () => {
  // Fresh accounts, one per sample: a repeated address would hit the resend minute or the login
  // throttle and skip the very work (a mail, a failure count) whose timing is compared.
  // Created in-process (the same table the stack serves) to keep the setup out of the timing budget.
  // One registration hashes the shared password with the stack's (production) argon2 parameters, so
  // every login verifies a hash of the real cost; the other accounts copy it under their own id,
  // number, name and address. Hashing 31 passwords at once only slowed the setup, and on a loaded
  // machine starved its DynamoDB calls past their time limit.
  const deps = testDependencies();
  const accounts = async (prefix: string) => {
    const first = newUser(prefix);
    const registered = await register(first, deps);
    const others = Array.from({ length: SAMPLES }, () => ({ ...newUser(prefix), password: first.password }));
    await Promise.all(
      others.map(async (u) =>
        deps.users.create({ ...registered, id: randomUUID(), number: await deps.userNumbers.next(), username: u.username, email: u.email }),
      ),
    );
    return [first, ...others];
  };
  const nobody = (i: number) => `nobody_${suffix()}_${i}`;

  it('login: the same 401 in similar time', async () => {
    const users = await accounts('enl');
    const result = await compare(
      (i) => api('/login', { method: 'POST', json: { username: users[i]!.username, password: 'not the password' } }),
      (i) => api('/login', { method: 'POST', json: { username: nobody(i), password: 'not the password' } }),
    );
    expect(result.answers).toHaveLength(1);
    expect(result.answers[0]).toMatch(/^401 /);
    expect(result.ratio, `medians ${result.known.toFixed(1)} ms vs ${result.unknown.toFixed(1)} ms`).toBeLessThanOrEqual(1.25);
  });

  // Only the request for a real address sends a mail; both must still look the same.
  it.each([
    ['forgot-password', '/password/forgot', 'enf'],
    ['verification resend', '/email/verify/resend', 'env'],
  ])('%s: the same 202 in similar time', async (_name, path, prefix) => {
    const users = await accounts(prefix);
    const result = await compare(
      (i) => api(path, { method: 'POST', json: { email: users[i]!.email } }),
      (i) => api(path, { method: 'POST', json: { email: `${nobody(i)}@example.com` } }),
    );
    expect(result.answers).toHaveLength(1);
    expect(result.answers[0]).toMatch(/^202 /);
    expect(result.ratio, `medians ${result.known.toFixed(1)} ms vs ${result.unknown.toFixed(1)} ms`).toBeLessThanOrEqual(1.25);
  });

  it('forgot-password over the per-address quota: the same 202 in similar time', async () => {
    const user = newUser('enq');
    await register(user, deps);
    const quota = deps.config.mailPerAddressPerHour;
    for (let i = 0; i < quota; i++) expect((await api('/password/forgot', { method: 'POST', json: { email: user.email } })).status).toBe(202);
    const result = await compare(
      () => api('/password/forgot', { method: 'POST', json: { email: user.email } }),
      (i) => api('/password/forgot', { method: 'POST', json: { email: `${nobody(i)}@example.com` } }),
    );
    expect(result.answers).toHaveLength(1);
    expect(result.answers[0]).toMatch(/^202 /);
    expect(result.ratio, `medians ${result.known.toFixed(1)} ms vs ${result.unknown.toFixed(1)} ms`).toBeLessThanOrEqual(1.25);
    // The quota held (twice it, should the run straddle a clock hour).
    expect((await mailsTo(user.email, { subject: 'Reset' })).length).toBeLessThanOrEqual(2 * quota);
  });
});
