// MFA_POLICY=required on the hosted login page (issue 17): the oauth-authorize and oauth-login
// handlers loaded in this process with that setting, driven with API Gateway events as a browser
// would send them (cookies, the CSRF field), against DynamoDB Local, local KMS and SES. A user
// without a factor is not signed in by the password: the page sets up an authenticator app (QR
// code and key), a wrong code shows the code field again, the right one shows the recovery codes
// once, and "Continue" answers the application with a code whose ID token says aal2.
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../../lib/http/types.ts';
import type { Dependencies } from '../../lib/use-cases/dependencies.ts';
import { stackEnv } from '../support/deps.ts';
import { httpEvent } from '../support/http-event.ts';
import { CHEAP_ARGON2, type Handler, type Handlers, keepProcessEnv, loadService, newAccount, PASSWORD, send } from '../support/service-handlers.ts';

keepProcessEnv();

const CONTEXT = {} as Parameters<Handler>[1];
const REDIRECT_URI = 'https://app.example/cb';

/** A browser's cookie jar, as far as these pages need one. */
class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly handler: Handler) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>, query = ''): Promise<HttpResult> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const event = httpEvent({
      method,
      path,
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    event.rawQueryString = query;
    event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
    const result = await this.handler(event, CONTEXT);
    for (const set of result.cookies ?? []) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return result;
  }
}

const field = (page: HttpResult, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(String(page.body))?.[1];

describe('MFA_POLICY=required on the hosted login page', () => {
  let handlers: Handlers;
  let deps: Dependencies;
  let authorize: Handler;
  let login: Handler;

  beforeAll(async () => {
    ({ handlers, deps } = await loadService(
      stackEnv({ ...CHEAP_ARGON2, IP_RATE_LIMIT_PER_MINUTE: '0', MAIL_REQUEST_MIN_MS: '0', MFA_POLICY: 'required', MFA_DIALECTS: 'refuse' }),
    ));
    authorize = (await import('../../functions/oauth-authorize.ts')).handler as Handler;
    login = (await import('../../functions/oauth-login.ts')).handler as Handler;
  });

  it('sets up an authenticator app before signing in, shows the recovery codes once, then continues to the application at aal2', async () => {
    // Prepare: a user without a factor, a first-party public client, an authorization request.
    const account = newAccount();
    expect((await send(handlers.register, '/register', { body: account })).status).toBe(201);
    const clientId = `c_${randomBytes(9).toString('base64url')}`;
    const now = Date.now();
    await deps.oauthClients.create({
      clientId,
      name: 'Policy test client',
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUris: [],
      scopes: ['openid'],
      grantTypes: ['authorization_code'],
      firstParty: true,
      resources: [],
      registeredBy: 'admin',
      createdAt: now,
      updatedAt: now,
    });
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const toLogin = await new Browser(authorize).request('GET', '/oauth/authorize', undefined, query);
    expect(toLogin.statusCode).toBe(302);
    const requestId = new URL(toLogin.headers.location!, 'http://x').searchParams.get('request')!;
    const browser = new Browser(login);
    const form = await browser.request('GET', '/oauth/login', undefined, `request=${requestId}`);
    expect(form.statusCode).toBe(200);

    // Act 1: the right password does not sign in; the enrolment page does not set the session cookie.
    const enrol = await browser.request('POST', '/oauth/login', {
      request: requestId,
      csrf_token: field(form, 'csrf_token')!,
      username: account.username,
      password: PASSWORD,
    });
    expect(enrol.statusCode).toBe(200);
    expect(String(enrol.body)).toContain('Set up an authenticator app');
    expect(String(enrol.body)).toMatch(/<svg[^>]*viewBox/);
    expect((enrol.cookies ?? []).some((cookie) => cookie.startsWith('auth_session='))).toBe(false);
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(String(enrol.body))![1]!.replace(/ /g, '');
    const hidden = { request: requestId, csrf_token: field(enrol, 'csrf_token')!, mfa_token: field(enrol, 'mfa_token')! };

    // Act 2: a wrong code: the code field again (no new key), the attempts left.
    const app = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const right = app.generate();
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const refused = await browser.request('POST', '/oauth/login/mfa', { ...hidden, step: 'confirm_totp', code: wrong });
    expect(refused.statusCode).toBe(400);
    expect(String(refused.body)).toContain('4 attempts left');
    expect(String(refused.body)).not.toContain('totp-secret');

    // Act 3: the right code: signed in, the recovery codes shown once, then on to the application.
    const codes = await browser.request('POST', '/oauth/login/mfa', { ...hidden, step: 'confirm_totp', code: right });
    expect(codes.statusCode).toBe(200);
    expect(String(codes.body).match(/<li>[^<]+<\/li>/g)).toHaveLength(10);
    expect((codes.cookies ?? []).some((cookie) => cookie.startsWith('auth_session='))).toBe(true);
    const onward = await browser.request('POST', '/oauth/login/mfa', { request: requestId, csrf_token: field(codes, 'csrf_token')!, step: 'continue' });
    expect(onward.statusCode).toBe(303);
    const back = new URL(onward.headers.location!);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    const code = back.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Assess: the code's sign-in is the password and the new app's code.
    const stored = await deps.authorizationCodes.find(createHash('sha256').update(code).digest('base64url'));
    expect(stored).toMatchObject({ acr: 'aal2', amr: expect.arrayContaining(['pwd', 'otp', 'mfa']) });
  });
});
