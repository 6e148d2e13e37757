// MFA_POLICY=required and MFA_DIALECTS=allow (issue 17): the handlers loaded in this process with
// each setting, called with API Gateway events against DynamoDB Local, local KMS and SES.
// Under `required` a user without a factor enrols one with the mfa_token before getting any token;
// under `allow` the dialects let the password alone in (weaker: acr aal1), while /login still asks.
import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../lib/mfa/totp.ts';
import { stackEnv } from '../support/deps.ts';
import { CHEAP_ARGON2, type Handler, type Handlers, keepProcessEnv, loadService, newAccount, PASSWORD, send } from '../support/service-handlers.ts';

keepProcessEnv();

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

interface MfaHandlers {
  totp: Handler;
  confirm: Handler;
  loginMfa: Handler;
  factors: Handler;
  tcap: Handler;
}

async function load(env: Record<string, string>): Promise<{ handlers: Handlers; mfa: MfaHandlers }> {
  // Both MFA settings every time: loadService adds to process.env, so an earlier load's would stay.
  const { handlers } = await loadService(
    stackEnv({ ...CHEAP_ARGON2, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0', MFA_POLICY: 'optional', MFA_DIALECTS: 'refuse', ...env }),
  );
  // Imported after loadService, so they share its module instances (configuration, clients).
  const handler = async (file: string) => (await import(`../../functions/${file}.ts`)).handler as Handler;
  return {
    handlers,
    mfa: {
      totp: await handler('mfa-totp'),
      confirm: await handler('mfa-totp-confirm'),
      loginMfa: await handler('login-mfa'),
      factors: await handler('mfa-factors'),
      tcap: await handler('compat-tcap'),
    },
  };
}

describe('MFA_POLICY=required', () => {
  it('a user without a factor enrols one with the mfa_token, and only then gets tokens (amr pwd+otp+mfa)', async () => {
    const { handlers, mfa } = await load({ MFA_POLICY: 'required' });
    const account = newAccount();
    expect((await send(handlers.register, '/register', { body: account })).status).toBe(201);

    // Act: the password step asks for an enrolment.
    const login = await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } });
    expect(login.status).toBe(401);
    expect(login.body).toMatchObject({ code: 'mfa_enrollment_required', methods: ['totp', 'webauthn'], mfa_token: expect.any(String) });
    expect(login.body).not.toHaveProperty('access_token');
    const mfaToken = login.body.mfa_token as string;

    // The token is for enrolling, not for a second step, and it is no bearer token.
    expect((await send(mfa.loginMfa, '/login/mfa', { body: { mfa_token: mfaToken, code: '123456' } })).body).toMatchObject({ code: 'invalid_mfa_token' });
    expect((await send(mfa.factors, '/mfa', { method: 'GET', token: mfaToken })).status).toBe(401);

    const started = await send(mfa.totp, '/mfa/totp', { body: { mfa_token: mfaToken } });
    expect(started.status).toBe(201);
    const secret = started.body.secret as string;
    const wrong = await send(mfa.confirm, '/mfa/totp/confirm', {
      body: { mfa_token: mfaToken, code: String((Number(totpCodeAt(secret, Date.now())) + 1) % 1e6).padStart(6, '0') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_mfa_code', attempts_left: 4 });

    const confirmed = await send(mfa.confirm, '/mfa/totp/confirm', { body: { mfa_token: mfaToken, code: totpCodeAt(secret, Date.now()) } });

    // Assess: the codes, and the usual login answer.
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recovery_codes).toHaveLength(10);
    expect(confirmed.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String), user: { username: account.username } });
    expect(claims(confirmed.body.access_token as string)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect(confirmed.headers['device-proof']).toEqual(expect.any(String));
    const factors = await send(mfa.factors, '/mfa', { method: 'GET', token: confirmed.body.access_token as string });
    expect((factors.body.factors as { type: string }[]).map((factor) => factor.type).sort()).toEqual(['recovery_codes', 'totp']);
    // Single use.
    const again = await send(mfa.confirm, '/mfa/totp/confirm', { body: { mfa_token: mfaToken, code: totpCodeAt(secret, Date.now() + 30_000) } });
    expect(again.body).toMatchObject({ code: 'invalid_mfa_token' });
    // From now on the login asks for the factor.
    const next = await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } });
    expect(next.body).toMatchObject({ code: 'mfa_required', methods: ['totp', 'recovery_code'] });
    // A second-step token cannot start another enrolment.
    expect((await send(mfa.totp, '/mfa/totp', { body: { mfa_token: next.body.mfa_token } })).body).toMatchObject({ code: 'invalid_mfa_token' });
  });

  it('the dialects, which cannot ask, refuse a user without a factor with their own 401 naming MFA', async () => {
    const { handlers, mfa } = await load({ MFA_POLICY: 'required' });
    const account = newAccount();
    await send(handlers.register, '/register', { body: account });
    const tcap = await send(mfa.tcap, '/token-auth/tcap/', { body: { username: account.username, password: PASSWORD } });
    expect(tcap.status).toBe(401);
    expect(tcap.body).toMatchObject({ code: 'mfa_required', detail: expect.stringMatching(/multi-factor/i) });
  });
});

describe('MFA_DIALECTS=allow (documented as weaker)', () => {
  it('a dialect logs a user with a factor in with the password alone (acr aal1); POST /login still asks for the factor', async () => {
    const { handlers, mfa } = await load({ MFA_DIALECTS: 'allow' });
    const account = newAccount();
    await send(handlers.register, '/register', { body: account });
    const session = await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } });
    expect(session.status).toBe(200);
    const started = await send(mfa.totp, '/mfa/totp', { token: session.body.access_token as string, body: {} });
    expect(started.status).toBe(201);
    const confirmed = await send(mfa.confirm, '/mfa/totp/confirm', {
      token: session.body.access_token as string,
      body: { code: totpCodeAt(started.body.secret as string, Date.now()) },
    });
    expect(confirmed.status).toBe(200);

    const tcap = await send(mfa.tcap, '/token-auth/tcap/', { body: { username: account.username, password: PASSWORD } });
    expect(tcap.status).toBe(200);
    const token = (tcap.body.token ?? tcap.body.access_token) as string;
    expect(claims(token)).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
    expect((await send(handlers.login, '/login', { body: { username: account.username, password: PASSWORD } })).body).toMatchObject({ code: 'mfa_required' });
  });
});
