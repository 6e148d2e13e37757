// The requests the real miniSASS frontend (kartoza/miniSASS, django_project/minisass_frontend:
// AuthenticationButtons, LoginFormModal, RegistrationFormModal, AuthContext) and a generic
// simplejwt client send, replayed over HTTP, with the fields they read asserted (issue 20).
import { describe, expect, it } from 'vitest';
import { api, becomes, decodeJwtParts, suffix } from './helpers.ts';

const base = '/authentication/api';

/** RegistrationFormModal's body, as handleRegistration posts it (JSON). */
function frontendRegistration() {
  const id = suffix();
  const password = `Frontend-${id}-pw`;
  return {
    username: `fe_${id}`,
    name: 'Thandi',
    surname: 'Nkosi',
    email: `fe.${id}@example.com`,
    organizationType: 'NGO',
    organizationName: 'Water Watch',
    country: 'South Africa',
    password,
    confirmPassword: password,
  };
}

async function registered() {
  const body = frontendRegistration();
  const res = await api(`${base}/register/`, { json: body });
  expect(res.status, res.text).toBe(201);
  return { body, created: res.body };
}

/** handleLogin: LoginFormModal's state, posted as JSON, usernameForEmailRetrieval "" unless looked up. */
const frontendLogin = (email: string, password: string, usernameForEmailRetrieval: string | null = '') =>
  api(`${base}/login/`, { json: { email, password, usernameForEmailRetrieval } });

describe('the real miniSASS frontend', () => {
  it('registers with name, surname and confirmPassword (201), and its names land on the account', async () => {
    // Act
    const { body, created } = await registered();

    // Assess: handleRegistration only checks the 201; the account carries what was sent.
    expect(created).toMatchObject({ username: body.username, email: body.email, first_name: 'Thandi', last_name: 'Nkosi', organisation_type: 'NGO' });
  });

  it('logs in with usernameForEmailRetrieval "" or null, and gets the fields it reads', async () => {
    // Prepare
    const { body, created } = await registered();

    // Act
    const blank = await frontendLogin(body.email, body.password, '');
    const none = await frontendLogin(body.email, body.password, null);

    // Assess: it stores the answer, sends `Bearer ${access_token}`, and asks for a new password
    // when is_profile_updated (is_password_enforced in earlier versions) is falsy.
    for (const res of [blank, none]) {
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        username: body.username,
        email: body.email,
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        is_authenticated: true,
        is_admin: false,
        is_password_enforced: true,
        is_profile_updated: true,
      });
      // simplejwt's names stay beside them, the same tokens.
      expect([res.body.access, res.body.refresh]).toEqual([res.body.access_token, res.body.refresh_token]);
      expect(decodeJwtParts(res.body.access_token).payload).toMatchObject({ user_id: created.id, token_type: 'access' });
    }
  });

  it('is told it is signed in by check-auth-status/ with its Bearer access_token, and signed out without', async () => {
    // Prepare
    const { body } = await registered();
    const login = await frontendLogin(body.email, body.password);

    // Act
    const signedIn = await api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${login.body.access_token}` } });
    const noToken = await api(`${base}/check-auth-status/`);
    // What the frontend sends before it has a token: axios interpolates undefined.
    const undefinedToken = await api(`${base}/check-auth-status/`, { headers: { Authorization: 'Bearer undefined' } });

    // Assess: AuthContext treats any 200 as "still signed in".
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.body).toMatchObject({ is_authenticated: true, username: body.username, email: body.email, is_admin: false });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(undefinedToken.status).toBe(401);
    expect(undefinedToken.body.code).toBe('token_not_valid');
    // simplejwt's answers to a refresh token sent as the access token, and to a header without a token.
    const refreshAsAccess = await api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${login.body.refresh_token}` } });
    expect(refreshAsAccess.status).toBe(401);
    expect(refreshAsAccess.body.messages).toEqual([{ token_class: 'AccessToken', token_type: 'access', message: 'Token has wrong type' }]);
    const bare = await api(`${base}/check-auth-status/`, { headers: { Authorization: 'Bearer' } });
    expect([bare.status, bare.body]).toEqual([
      401,
      { detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' },
    ]);
  });

  it('refuses wrong credentials with the login view’s own answer', async () => {
    const { body } = await registered();
    const res = await frontendLogin(body.email, 'not the password');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid credentials' });
    expect((await frontendLogin('', '')).body).toEqual({ error: 'Invalid credentials' });
  });

  it('is told which field is wrong when registering: confirmPassword, a taken username or email, blank and null fields', async () => {
    // Prepare
    const { body } = await registered();
    const mismatch = { ...frontendRegistration(), confirmPassword: 'something else entirely' };
    const takenName = { ...frontendRegistration(), username: body.username };
    const takenEmail = { ...frontendRegistration(), email: body.email };
    const blankAndNull = { ...frontendRegistration(), organizationName: '', country: null };

    // Act
    const answers = await Promise.all([mismatch, takenName, takenEmail, blankAndNull].map((json) => api(`${base}/register/`, { json })));

    // Assess: DRF's 400 naming the field, as sent.
    for (const res of answers) expect(res.status, res.text).toBe(400);
    expect(answers[0]!.body).toEqual({ confirmPassword: ['Passwords do not match.'] });
    expect(answers[1]!.body).toEqual({ username: ['A user with that username already exists.'] });
    expect(answers[2]!.body).toEqual({ email: ['A user with that email already exists.'] });
    expect(answers[3]!.body).toEqual({ organizationName: ['This field may not be blank.'], country: ['This field may not be null.'] });
  });
});

describe('a simplejwt client', () => {
  it('keeps one refresh token, refreshes on token_not_valid, and reads user_id from the access token', async () => {
    // Prepare
    const { body, created } = await registered();
    const pair = await api(`${base}/token/`, { json: { username: body.username, password: body.password, extra: 'ignored' } });
    expect(pair.status, pair.text).toBe(200);

    // Act: a refused access token, then two refreshes with the same refresh token (no rotation).
    const refused = await api(`${base}/check-auth-status/`, { headers: { Authorization: 'Bearer not-a-jwt' } });
    const first = await api(`${base}/token/refresh/`, { json: { refresh: pair.body.refresh } });
    const second = await api(`${base}/token/refresh/`, { json: { refresh: pair.body.refresh } });
    const documented = await api(`${base}/refresh/`, { json: { refresh: pair.body.refresh } });

    // Assess
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
    });
    for (const res of [first, second, documented]) {
      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.body)).toEqual(['access']);
      expect(decodeJwtParts(res.body.access).payload).toMatchObject({ user_id: created.id, token_type: 'access' });
    }
    const status = await api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${second.body.access}` } });
    expect(status.status, status.text).toBe(200);
  });

  it('after logout, its refresh token is blacklisted and its access tokens are not valid', async () => {
    // Prepare
    const { body } = await registered();
    const login = await frontendLogin(body.email, body.password);
    const auth = { Authorization: `Bearer ${login.body.access_token}` };

    // Act: AuthContext's logout posts with the default Authorization header.
    const out = await api(`${base}/logout/`, { method: 'POST', headers: auth });
    const refresh = await api(`${base}/token/refresh/`, { json: { refresh: login.body.refresh_token } });

    // Assess
    expect(out.status, out.text).toBe(200);
    expect(out.body).toEqual({ message: 'Logout successful' });
    expect(refresh.status).toBe(401);
    expect(refresh.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const after = await becomes(401, () => api(`${base}/check-auth-status/`, { headers: auth }));
    expect(after.body.code).toBe('token_not_valid');
  });

  it('gets simplejwt’s and DRF’s texts for a wrong token type, bad credentials, a blank field, 405, 415 and bad JSON', async () => {
    const { body } = await registered();
    const pair = await api(`${base}/token/`, { json: { username: body.username, password: body.password } });

    const wrongType = await api(`${base}/token/refresh/`, { json: { refresh: pair.body.access } });
    const unknownRefresh = await api(`${base}/token/refresh/`, { json: { refresh: 'no-such-token' } });
    const badPassword = await api(`${base}/token/`, { json: { username: body.username, password: 'wrong password' } });
    const blank = await api(`${base}/token/`, { json: { username: ' ', password: '' } });
    const get = await api(`${base}/token/`);
    const text = await api(`${base}/token/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'username=x' });
    const broken = await api(`${base}/token/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    const list = await api(`${base}/token/`, { json: [1, 2] });

    expect([wrongType.status, wrongType.body]).toEqual([401, { detail: 'Token has wrong type', code: 'token_not_valid' }]);
    expect([unknownRefresh.status, unknownRefresh.body]).toEqual([401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }]);
    expect([badPassword.status, badPassword.body]).toEqual([401, { detail: 'No active account found with the given credentials' }]);
    expect([blank.status, blank.body]).toEqual([400, { username: ['This field may not be blank.'], password: ['This field may not be blank.'] }]);
    expect([get.status, get.body]).toEqual([405, { detail: 'Method "GET" not allowed.' }]);
    expect([text.status, text.body]).toEqual([415, { detail: 'Unsupported media type "text/plain" in request.' }]);
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/^JSON parse error - /);
    expect([list.status, list.body]).toEqual([400, { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }]);
  });
});
