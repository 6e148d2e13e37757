// TOTP and recovery codes over HTTP (issue 17): codes are computed here from the secret the API
// returns, with otpauth, as an authenticator app would. Enrolment, the second step of a login,
// replay (RFC 6238 §5.2), the mfa_token's five wrong codes, single-use recovery codes and their
// mail, the amr/acr/auth_time claims, step-up, and the four dialects' refusals.
import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newestMail } from '../support/mailbox.ts';
import { type ApiResponse, api, decodeJwtParts, errorFields, expectProblem, loggedInUser, type NewUser, registerUser } from './helpers.ts';

const STEP_MS = 30_000;
/** Each test makes a dozen or more requests, some to cold functions, with argon2 on every login. */
const SLOW = 120_000;

/** The code an authenticator app shows for `secret`, `offsetSteps` time steps from now. */
const codeFor = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * STEP_MS });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Enrols an authenticator app for a logged-in user; returns its secret and the first recovery codes. */
async function enrolTotp(accessToken: string): Promise<{ secret: string; recoveryCodes: string[]; confirmCode: string }> {
  const started = await api('/mfa/totp', { method: 'POST', headers: bearer(accessToken) });
  expect(started.status, started.text).toBe(201);
  const confirmCode = codeFor(started.body.secret);
  const confirmed = await api('/mfa/totp/confirm', { json: { code: confirmCode }, headers: bearer(accessToken) });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { secret: started.body.secret, recoveryCodes: confirmed.body.recovery_codes, confirmCode };
}

/** POST /login answered mfa_required: the mfa_token. */
async function passwordStep(user: NewUser): Promise<string> {
  const res = await api('/login', { json: { username: user.username, password: user.password } });
  const problem = expectProblem(res, 401);
  expect(problem).toMatchObject({ code: 'mfa_required', mfa_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  return problem.mfa_token;
}

const secondStep = (json: Record<string, unknown>) => api('/login/mfa', { json });

function claimsOf(res: ApiResponse) {
  expect(res.status, res.text).toBe(200);
  return decodeJwtParts(res.body.access_token).payload;
}

describe('TOTP enrolment and the second step of a login', () => {
  it(
    'enrols, then every login needs a fresh code; a replayed code is refused; tokens say amr pwd+otp+mfa, acr aal2',
    async () => {
      // Prepare
      const { user, accessToken } = await loggedInUser('totp');
      expect((await api('/mfa', { headers: bearer(accessToken) })).body).toEqual({ factors: [] });

      // Act: start, with the URI an app scans.
      const started = await api('/mfa/totp', { method: 'POST', headers: bearer(accessToken) });
      expect(started.status, started.text).toBe(201);
      expect(Object.keys(started.body).sort()).toEqual(['otpauth_uri', 'secret']);
      const parsed = URI.parse(started.body.otpauth_uri) as TOTP;
      expect(parsed).toBeInstanceOf(TOTP);
      expect(parsed.label).toBe(user.username);
      expect(parsed.secret.base32).toBe(started.body.secret);
      expect(parsed.issuer.length).toBeGreaterThan(0);
      expect(started.body.secret).toMatch(/^[A-Z2-7]{32}$/);

      // A malformed code names the field; a wrong one is refused and enrols nothing.
      const malformed = expectProblem(await api('/mfa/totp/confirm', { json: { code: '12ab56' }, headers: bearer(accessToken) }), 400);
      expect(errorFields(malformed)).toEqual(['code']);
      const wrongCode = String((Number(codeFor(started.body.secret)) + 500_000) % 1_000_000).padStart(6, '0');
      expect(expectProblem(await api('/mfa/totp/confirm', { json: { code: wrongCode }, headers: bearer(accessToken) }), 401).code).toBe('invalid_mfa_code');
      expect((await api('/login', { json: { username: user.username, password: user.password } })).status).toBe(200);

      // The right code, typed as the app shows it ("123 456").
      const confirmCode = codeFor(started.body.secret);
      const confirmed = await api('/mfa/totp/confirm', { json: { code: `${confirmCode.slice(0, 3)} ${confirmCode.slice(3)}` }, headers: bearer(accessToken) });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body.recovery_codes).toHaveLength(10);
      expect(new Set(confirmed.body.recovery_codes).size).toBe(10);

      // Assess: the factors, without secrets.
      const factors = await api('/mfa', { headers: bearer(accessToken) });
      expect(factors.body.factors.map((f: any) => f.type).sort()).toEqual(['recovery_codes', 'totp']);
      expect(factors.body.factors.find((f: any) => f.type === 'recovery_codes').remaining).toBe(10);
      expect(factors.body.factors.find((f: any) => f.type === 'totp')).toMatchObject({ id: 'totp', created_at: expect.any(String) });
      expect(factors.text).not.toContain(started.body.secret);
      for (const code of confirmed.body.recovery_codes) expect(factors.text).not.toContain(code);

      // Another enrolment now needs a recent MFA, which this password-only token is not.
      expect(expectProblem(await api('/mfa/totp', { method: 'POST', headers: bearer(accessToken) }), 401).code).toBe('step_up_required');

      // The password alone no longer gives tokens.
      const res = await api('/login', { json: { username: user.username, password: user.password } });
      const problem = expectProblem(res, 401);
      expect(problem.methods).toEqual(['totp', 'recovery_code']);
      expect(res.text).not.toContain('access_token');
      const mfaToken = problem.mfa_token as string;

      // The code that confirmed the enrolment was accepted once already (RFC 6238 §5.2).
      const replayed = expectProblem(await secondStep({ mfa_token: mfaToken, code: confirmCode }), 401);
      expect(replayed).toMatchObject({ code: 'invalid_mfa_code', attempts_left: 4 });

      // The next step's code is within the ±1 window and was never used.
      const before = Math.floor(Date.now() / 1000);
      const nextCode = codeFor(started.body.secret, 1);
      const done = await secondStep({ mfa_token: mfaToken, code: nextCode });
      const claims = claimsOf(done);
      expect(done.body.refresh_token).toEqual(expect.any(String));
      expect(done.body.user.username).toBe(user.username);
      expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(claims.acr).toBe('aal2');
      expect(claims.auth_time).toBeGreaterThanOrEqual(before);
      expect(claims.auth_time).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect(done.headers.get('device-proof')).toEqual(expect.any(String));

      // The mfa_token was spent; the same code in a new login is a replay.
      expect(expectProblem(await secondStep({ mfa_token: mfaToken, code: nextCode }), 401).code).toBe('invalid_mfa_token');
      expect(expectProblem(await secondStep({ mfa_token: await passwordStep(user), code: nextCode }), 401).code).toBe('invalid_mfa_code');

      // The session's refresh keeps amr/acr.
      const refreshed = await api('/refresh', { json: { refresh_token: done.body.refresh_token } });
      expect(claimsOf(refreshed)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2', auth_time: claims.auth_time });
    },
    SLOW,
  );

  it(
    'five wrong codes kill the mfa_token, and count as failed logins of the account',
    async () => {
      const { user, accessToken } = await loggedInUser('totpfail');
      const { secret } = await enrolTotp(accessToken);
      const mfaToken = await passwordStep(user);
      const wrong = String((Number(codeFor(secret)) + 1) % 1_000_000).padStart(6, '0');
      const lefts: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const problem = expectProblem(await secondStep({ mfa_token: mfaToken, code: wrong }), 401);
        expect(problem.code).toBe('invalid_mfa_code');
        lefts.push(problem.attempts_left);
      }
      expect(lefts).toEqual([4, 3, 2, 1]);
      expect(expectProblem(await secondStep({ mfa_token: mfaToken, code: wrong }), 401).code).toBe('invalid_mfa_token');
      // Dead even for the right code.
      expect(expectProblem(await secondStep({ mfa_token: mfaToken, code: codeFor(secret, 1) }), 401).code).toBe('invalid_mfa_token');
      // The account's failed-login streak (LOGIN_MAX_FAILURES=5) now makes the next password wait.
      const throttled = await api('/login', { json: { username: user.username, password: user.password } });
      expect(throttled.status, throttled.text).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    },
    SLOW,
  );

  it(
    'bad bodies are 400s naming the field, never 5xx',
    async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ code: '123456' }, 'mfa_token'],
        [{ mfa_token: 'x'.repeat(43) }, 'code'],
        [{ mfa_token: 'x'.repeat(43), code: '123456', recovery_code: 'abcd' }, 'recovery_code'],
        [{ mfa_token: 'x'.repeat(43), recovery_code: 'not a code' }, 'recovery_code'],
        [{ mfa_token: 'x'.repeat(43), code: 'abcdef' }, 'code'],
        [{ mfa_token: 42, code: '123456' }, 'mfa_token'],
        [{ mfa_token: 'x'.repeat(43), code: '123456', extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const problem = expectProblem(await secondStep(body), 400);
        expect(errorFields(problem), JSON.stringify(body)).toContain(field);
      }
      // A well-formed but unknown token: 401.
      expect(expectProblem(await secondStep({ mfa_token: 'x'.repeat(43), code: '123456' }), 401).code).toBe('invalid_mfa_token');
      expect(expectProblem(await api('/mfa/totp/confirm', { json: {} }), 400).errors.map((e: any) => e.field)).toEqual(['code']);
      expect(expectProblem(await api('/mfa/totp', { method: 'POST' }), 401).code).toBe('missing_token');
    },
    SLOW,
  );
});

describe('recovery codes', () => {
  it(
    'each works once, in any case and spacing; using one is mailed; regenerating voids the old set',
    async () => {
      const { user, accessToken } = await loggedInUser('recovery');
      const { secret, recoveryCodes } = await enrolTotp(accessToken);

      // Act: sign in with a recovery code typed loosely.
      const loose = recoveryCodes[0]!.toUpperCase().replace(/-/g, ' ');
      const signedIn = await secondStep({ mfa_token: await passwordStep(user), recovery_code: loose });
      const claims = claimsOf(signedIn);
      expect(claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });

      // Assess: the owner is told, and the code is spent.
      const mail = await newestMail(user.email, { subject: 'recovery code was used' });
      expect(mail.body.text).toContain('9 recovery codes are left');
      expect(mail.body.text).not.toContain(recoveryCodes[0]);
      const again = expectProblem(await secondStep({ mfa_token: await passwordStep(user), recovery_code: recoveryCodes[0] }), 401);
      expect(again.code).toBe('invalid_mfa_code');
      const listed = await api('/mfa', { headers: bearer(signedIn.body.access_token) });
      expect(listed.body.factors.find((f: any) => f.type === 'recovery_codes')).toMatchObject({ remaining: 9, last_used_at: expect.any(String) });

      // Regenerating needs a recent MFA: the password-only token is refused, the MFA one accepted.
      expect(expectProblem(await api('/mfa/recovery-codes', { method: 'POST', headers: bearer(accessToken) }), 401)).toMatchObject({
        code: 'step_up_required',
        max_age: 600,
      });
      const regenerated = await api('/mfa/recovery-codes', { method: 'POST', headers: bearer(signedIn.body.access_token) });
      expect(regenerated.status, regenerated.text).toBe(200);
      expect(regenerated.body.recovery_codes).toHaveLength(10);
      expect(regenerated.body.recovery_codes).not.toContain(recoveryCodes[1]);

      // The old set is void, the new one works.
      const token = await passwordStep(user);
      expect(expectProblem(await secondStep({ mfa_token: token, recovery_code: recoveryCodes[1] }), 401).code).toBe('invalid_mfa_code');
      expect((await secondStep({ mfa_token: token, recovery_code: regenerated.body.recovery_codes[0] })).status).toBe(200);

      // Step-up for removal: the password-only token is refused; an MFA sign-in removes it, and the
      // codes (the last factor) go with it.
      expect(expectProblem(await api('/mfa/totp', { method: 'DELETE', headers: bearer(accessToken) }), 401).code).toBe('step_up_required');
      const mfaSignIn = await secondStep({ mfa_token: await passwordStep(user), code: codeFor(secret, 1) });
      const removed = await api('/mfa/totp', { method: 'DELETE', headers: bearer(mfaSignIn.body.access_token) });
      expect(removed.status, removed.text).toBe(204);
      expect((await api('/mfa', { headers: bearer(mfaSignIn.body.access_token) })).body).toEqual({ factors: [] });
      expect(expectProblem(await api('/mfa/totp', { method: 'DELETE', headers: bearer(mfaSignIn.body.access_token) }), 404).code).toBe('not_found');
      const passwordOnly = await api('/login', { json: { username: user.username, password: user.password } });
      expect(claimsOf(passwordOnly)).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
      // No factor: regenerating has nothing to regenerate.
      expect(expectProblem(await api('/mfa/recovery-codes', { method: 'POST', headers: bearer(passwordOnly.body.access_token) }), 404).code).toBe('not_found');
    },
    SLOW,
  );
});

describe('the compatibility dialects cannot ask for a second factor (MFA_DIALECTS=refuse)', () => {
  it(
    'each answers its own 401 naming MFA for an account with a factor, and issues nothing',
    async () => {
      const { user } = await registerUser();
      const login = await api('/login', { json: { username: user.username, password: user.password } });
      await enrolTotp(login.body.access_token);
      const basic = `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;

      const tcap = await api('/token-auth/tcap/', { json: { username: user.username, password: user.password } });
      expect(tcap.status, tcap.text).toBe(401);
      expect(tcap.body).toMatchObject({ code: 'mfa_required', detail: expect.stringMatching(/multi-factor/i) });

      const eclecticiq = await api('/auth', { json: { username: user.username, password: user.password } });
      expect(expectProblem(eclecticiq, 401)).toMatchObject({ code: 'mfa_required' });
      expect(eclecticiq.body).not.toHaveProperty('mfa_token');

      const opentact = await api('/rest/auth', { headers: { accept: 'application/json', authorization: basic } });
      expect(opentact.status, opentact.text).toBe(401);
      expect(opentact.body).toMatchObject({ success: false, error: { code: 'mfa_required', message: expect.stringMatching(/multi-factor/i) } });

      const miniSass = await api('/authentication/api/login', { json: { email: user.email, password: user.password } });
      expect(miniSass.status, miniSass.text).toBe(401);
      expect(miniSass.body).toMatchObject({ error: expect.stringMatching(/multi-factor/i), code: 'mfa_required' });
      const simplejwt = await api('/authentication/api/token', { json: { username: user.username, password: user.password } });
      expect(simplejwt.status, simplejwt.text).toBe(401);
      expect(simplejwt.body).toMatchObject({ code: 'mfa_required' });

      // No JWT, refresh token or mfa_token in any of them.
      for (const res of [tcap, eclecticiq, opentact, miniSass, simplejwt]) expect(res.text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.|mfa_token|refresh/);
    },
    SLOW,
  );
});
