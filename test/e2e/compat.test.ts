// The four documented APIs (../shared/seeds/) over HTTP, one test per documented example: the
// same paths, headers, bodies and content types the documents show, and their response shapes.
import { describe, expect, inject, it } from 'vitest';
import { issueServiceToken } from '../../lib/tokens/service-tokens.ts';
import { testClock } from '../support/clock.ts';
import { testDependencies } from '../support/deps.ts';
import { api, becomes, decodeJwtParts, registerUser, suffix } from './helpers.ts';

const strongPassword = () => `test_password_${suffix()}`;

async function account(extra: Record<string, string> = {}) {
  const { user, created } = await registerUser({
    username: `compat_${suffix()}`,
    email: `compat.${suffix()}@example.com`,
    password: strongPassword(),
    ...extra,
  });
  return { ...user, id: created.id as string };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const multipart = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

describe('TCAP (000)', () => {
  it('POST /token-auth/api/login gives the 5-minute service token', async () => {
    const user = await account();
    const res = await api('/token-auth/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password, requested_service: 'Hash Verification' }),
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(['service_token']);
    const { header, payload } = decodeJwtParts(res.body.service_token);
    expect(header.typ).toBe('service+jwt');
    expect(payload).toMatchObject({ aud: 'hash-verification', sub: user.id });
    expect(payload.exp - payload.iat).toBe(300);
    expect((await api('/token-auth/api/services/hash-verification/whoami', { headers: { Authorization: `Bearer ${res.body.service_token}` } })).status).toBe(
      200,
    );
  });

  it('POST /token-auth/tcap/ gives a JWT and the user in TCAP’s shape, used as Authorization: Bearer', async () => {
    const user = await account({ first_name: 'Jane', last_name: 'Doe', organisation_name: 'acmec' });
    const res = await api('/token-auth/tcap/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body.user).sort()).toEqual(
      [
        'email',
        'email_verified',
        'first_name',
        'id',
        'job_title',
        'last_name',
        'organisation',
        'permissions',
        'terms',
        'terms_archive',
        'username',
        'uuid',
      ].sort(),
    );
    // TCAP documents `"id": 1`, Django's integer key; the UUID (the token's sub) is `uuid`.
    expect(Number.isSafeInteger(res.body.user.id) && res.body.user.id > 0, String(res.body.user.id)).toBe(true);
    expect(res.body.user).toMatchObject({
      uuid: user.id,
      username: user.username,
      first_name: 'Jane',
      last_name: 'Doe',
      organisation: 'acmec',
      permissions: [],
      email_verified: false,
    });
    expect((await api('/me', { headers: { Authorization: `Bearer ${res.body.token}` } })).status).toBe(200);
  });

  it('an expired service token at a TCAP-style service: 403 and the documented text', async () => {
    const user = await account();
    const deps = testDependencies(testClock(Date.now() - 10 * 60 * 1000));
    const stored = await deps.users.get(user.id);
    const expired = await issueServiceToken(stored!, deps.config.services[0]!, { signer: deps.signer, clock: deps.clock, settings: deps.serviceTokens });
    const res = await api('/token-auth/api/services/hash-verification/whoami', { headers: { Authorization: `Bearer ${expired.token}` } });
    expect(res.status).toBe(403);
    expect(res.text).toBe('Authentication error: Token has expired. Please refresh.');
  });

  it('answers wrong credentials and unknown services in Django REST Framework’s shape', async () => {
    const user = await account();
    const wrong = await api('/token-auth/tcap/', { json: { username: user.username, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ detail: expect.any(String), code: 'invalid_credentials' });
    const unknown = await api('/token-auth/api/login', { json: { username: user.username, password: user.password, requested_service: 'Nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.requested_service).toEqual([expect.stringContaining('Unknown service')]);
  });

  it('reads bodies as Django REST Framework does: unknown keys ignored, null, blank and absent fields in its words', async () => {
    const user = await account();
    const extra = await api('/token-auth/tcap/', { json: { username: user.username, password: user.password, remember_me: true } });
    expect(extra.status, extra.text).toBe(200);
    const bad = await api('/token-auth/api/login', { json: { username: null, password: '', note: 'ignored' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      username: ['This field may not be null.'],
      password: ['This field may not be blank.'],
      requested_service: ['This field is required.'],
    });
    const get = await api('/token-auth/tcap/');
    expect([get.status, get.body]).toEqual([405, { detail: 'Method "GET" not allowed.' }]);
  });
});

describe('EclecticIQ (001)', () => {
  it('POST /auth with JSON and Accept: application/json gives {expires_at, token}; sign-out revokes the token', async () => {
    const user = await account();
    const res = await api('/auth', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: user.email, password: user.password }),
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['expires_at', 'token']);
    expect(res.body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
    expect(Math.abs(Date.parse(res.body.expires_at) - (Date.now() + 30 * 60_000))).toBeLessThan(10_000);

    // The document's curl writes the header without a space after the colon.
    const feeds = await fetch(`${inject('apiUrl')}/me`, { headers: [['Authorization', `Bearer ${res.body.token}`]] });
    expect(feeds.status).toBe(200);
    expect((await api('/logout', { method: 'POST', headers: { Authorization: `Bearer ${res.body.token}` } })).status).toBe(204);
    await becomes(401, () => api('/me', { headers: { Authorization: `Bearer ${res.body.token}` } }));
  });

  it('POST /api/auth works the same, with a username', async () => {
    const user = await account();
    const res = await api('/api/auth', { json: { username: user.username, password: user.password } });
    expect(res.status, res.text).toBe(200);
    expect(decodeJwtParts(res.body.token).payload.sub).toBe(user.id);
  });
});

describe('Opentact (002)', () => {
  const basic = (user: { email: string; password: string }) => `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;

  it('GET /rest/auth with HTTP Basic gives the user and a token in the success envelope; X-Auth-Token works too', async () => {
    const user = await account({ first_name: 'John', last_name: 'Smith' });
    const res = await api('/rest/auth', { headers: { accept: 'application/json', Authorization: basic(user) } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.success).toBe(true);
    expect(Object.keys(res.body.payload).sort()).toEqual(
      [
        'apple_user_id',
        'created_on',
        'deleted_on',
        'dob',
        'email',
        'facebook_user_id',
        'first_name',
        'gender',
        'gmail_user_id',
        'last_name',
        'modified_on',
        'phone_number',
        'role',
        'token',
        'uuid',
        'wechat_user_id',
      ].sort(),
    );
    expect(res.body.payload).toMatchObject({ uuid: user.id, email: user.email, first_name: 'John', last_name: 'Smith', role: 'User' });
    const again = await api('/rest/auth', { headers: { accept: 'application/json', 'X-Auth-Token': res.body.payload.token } });
    expect(again.status).toBe(200);
    expect(again.body.payload.uuid).toBe(user.id);
    const wrong = await api('/rest/auth', { headers: { Authorization: basic({ ...user, password: 'wrong password' }) } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ success: false, error: { code: 'invalid_credentials' } });
  });

  it('creates, lists, renames and deletes tokens as documented', async () => {
    const user = await account();
    const jwt = (await api('/rest/auth', { headers: { Authorization: basic(user) } })).body.payload.token;
    const auth = { accept: 'application/json', 'X-Auth-Token': jwt };

    const created = await api('/rest/token', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"name":"string","ttl":60}' });
    expect(created.status, created.text).toBe(200);
    expect(created.body.success).toBe(true);
    expect(Object.keys(created.body.payload).sort()).toEqual(['created_on', 'expired_on', 'modified_on', 'name', 'token', 'ttl', 'uuid']);
    expect(created.body.payload).toMatchObject({ name: 'string', ttl: 60 });
    expect(Date.parse(created.body.payload.expired_on) - Date.parse(created.body.payload.created_on)).toBeGreaterThan(59_000);
    expect((await api('/rest/auth', { headers: { 'X-Auth-Token': created.body.payload.token } })).status).toBe(200);

    const short = await api('/rest/token', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"name":"string","ttl":59}' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ success: false, error: { errors: [{ field: 'ttl' }] } });

    const list = await api('/rest/token/list', { headers: auth });
    expect(list.body).toMatchObject({ success: true, payload: [{ uuid: created.body.payload.uuid, name: 'string' }] });
    expect(list.text).not.toContain(created.body.payload.token);

    for (const path of [`/rest/token/${created.body.payload.uuid}`, `/token/${created.body.payload.uuid}`]) {
      const renamed = await api(path, {
        method: 'PATCH',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `via ${path}` }),
      });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body.payload.name).toBe(`via ${path}`);
    }

    const deleted = await api(`/rest/token/${created.body.payload.token}`, { method: 'DELETE', headers: auth });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({
      success: true,
      payload: {
        created_on: expect.any(String),
        modified_on: expect.any(String),
        token: created.body.payload.token,
        name: `via /token/${created.body.payload.uuid}`,
        expired_on: expect.any(String),
      },
    });

    await api('/rest/token', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"name":"another","ttl":3600}' });
    const all = await api('/rest/token/all', { method: 'DELETE', headers: auth });
    expect(all.body).toEqual({ success: true, payload: {} });
    expect((await api('/rest/token/list', { headers: auth })).body.payload).toEqual([]);

    const anonymous = await api('/rest/token/list');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.success).toBe(false);
  });
});

describe('miniSASS (003)', () => {
  const base = '/authentication/api';

  it('login accepts JSON, form-urlencoded and multipart; OPTIONS describes it', async () => {
    const user = await account();
    const fields = { email: user.email, password: user.password, usernameForEmailRetrieval: user.username };
    for (const init of [
      { json: fields },
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) },
      { method: 'POST', body: multipart(fields) },
    ]) {
      const res = await api(`${base}/login`, init);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ access: expect.any(String), refresh: expect.any(String) });
    }
    const options = await api(`${base}/login`, { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ methods: ['POST', 'OPTIONS'], description: expect.stringContaining('Log in') });
    expect((await api(`${base}/login`, { json: { email: user.email, password: 'nope nope nope' } })).status).toBe(401);
  });

  it('token/, refresh/, check-auth-status/ and logout/ behave as simplejwt documents', async () => {
    const user = await account();
    const pair = await api(`${base}/token/`, { json: { username: user.username, password: user.password } });
    expect(pair.status, pair.text).toBe(200);
    expect(Object.keys(pair.body).sort()).toEqual(['access', 'refresh']);

    // simplejwt's default: the refresh token is not rotated, so the answer is {access} alone.
    const refreshed = await api(`${base}/refresh/`, { json: { refresh: pair.body.refresh } });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(['access']);

    const status = await api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${refreshed.body.access}` } });
    expect(status.body).toMatchObject({ is_authenticated: true, username: user.username, email: user.email, is_admin: false });
    // IsAuthenticated, as the real view: no token is a 401.
    const anonymous = await api(`${base}/check-auth-status/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });

    const out = await api(`${base}/logout/`, { method: 'POST', headers: { Authorization: `Bearer ${refreshed.body.access}` } });
    expect(out.status, out.text).toBe(200);
    await becomes(401, () => api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${refreshed.body.access}` } }));
  });

  it('register/ takes the documented body in JSON, form and multipart, and names each bad field', async () => {
    const documented = () => ({
      username: `test_user_${suffix()}`,
      first_name: 'test_name',
      last_name: 'test_lastname',
      email: `test.${suffix()}@kartoza.com`,
      password: strongPassword(),
      organizationType: 'NGO',
      organizationName: 'test',
      country: 'South Africa',
      additional_fields: 'additional_data',
    });
    for (const encode of ['json', 'form', 'multipart'] as const) {
      const body = documented();
      const init =
        encode === 'json'
          ? { json: body }
          : encode === 'form'
            ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(body) }
            : { method: 'POST', body: multipart(body) };
      const res = await api(`${base}/register/`, init);
      expect(res.status, `${encode}: ${res.text}`).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.any(Number),
        uuid: expect.any(String),
        username: body.username,
        organisation_type: 'NGO',
        organisation_name: 'test',
        country: 'South Africa',
        additional_fields: 'additional_data',
      });
    }
    const bad = await api(`${base}/register/`, { json: { username: `u_${suffix()}`, email: 'not-an-email', password: strongPassword() } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      email: ['Enter a valid email address.'],
      organizationType: ['This field is required.'],
      organizationName: ['This field is required.'],
      country: ['This field is required.'],
    });
  });

  it('request-reset answers the same for known and unknown addresses, and mails the known one', async () => {
    const user = await account();
    const known = await api(`${base}/request-reset`, { json: { email: user.email } });
    const unknown = await api(`${base}/request-reset`, { json: { email: `nobody.${suffix()}@example.com` } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body).toEqual(unknown.body);
    const store = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: { destination: { to: string[] }; subject: string }[] };
    expect(store.emails.some((m) => m.destination.to.includes(user.email) && /reset/i.test(m.subject))).toBe(true);
  });
});
