// Failed-login throttling over HTTP: after LOGIN_MAX_FAILURES (5 in the test stack) wrong
// passwords with a login name, the right one is refused too, with 429 and Retry-After, on the
// native route and on the compatibility routes (each in its own envelope), since all share one
// counter per login name (device proofs: ./device-proofs.test.ts).
import { describe, expect, it } from 'vitest';
import { api, expectProblem, expectSecurityHeaders, newUser, registerUser } from './helpers.ts';

/** Five wrong passwords with each login name: the username's and the email address's counters are separate. */
async function lockedOut() {
  const { user } = await registerUser(newUser('thr'));
  for (const name of [{ username: user.username }, { email: user.email }]) {
    for (let i = 0; i < 5; i++) {
      const res = await api('/login', { method: 'POST', json: { ...name, password: 'wrong password' } });
      expect(res.status).toBe(401);
    }
  }
  return user;
}

describe('failed-login throttling over HTTP', () => {
  it('answers 429 with Retry-After to the right password once the account has to wait', async () => {
    const user = await lockedOut();
    const res = await api('/login', { method: 'POST', json: { username: user.username, password: user.password } });
    const problem = expectProblem(res, 429);
    expect(problem.code).toBe('too_many_requests');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(55);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expectSecurityHeaders(res);
    // The token that the right password would have given is not in the answer.
    expect(res.text).not.toMatch(/access_token|refresh_token/);
  });

  it('holds for every way of presenting the password: Basic, email, and the compatibility routes', async () => {
    const user = await lockedOut();
    const basic = `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;
    const answers = await Promise.all([
      api('/login', { method: 'POST', headers: { authorization: basic } }),
      api('/login', { method: 'POST', json: { email: user.email, password: user.password } }),
      api('/service-token', { method: 'POST', json: { username: user.username, password: user.password, requested_service: 'Hash Verification' } }),
      api('/token-auth/api/login', { method: 'POST', json: { username: user.username, password: user.password, requested_service: 'Hash Verification' } }),
      api('/auth', { method: 'POST', json: { username: user.username, password: user.password } }),
      api('/rest/auth', { headers: { authorization: basic } }),
      api('/authentication/api/token', { method: 'POST', json: { username: user.username, password: user.password } }),
    ]);
    for (const res of answers) {
      expect(res.status, res.text).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // The dialects keep their envelopes: DRF's Throttled {detail} and Opentact's {success:false}.
    expect(answers[3]!.body).toEqual({ detail: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds?\.$/) });
    expect(answers[5]!.body).toMatchObject({ success: false, error: { code: 'too_many_requests' } });
  });
});
