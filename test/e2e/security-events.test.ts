// GET /me/events over HTTP: the events the existing actions record (logins, failed logins, API
// tokens, logging out), newest first with the request's origin, a page at a time, filtered by type;
// only the caller's own; every bad parameter a 400 naming it; a session token only.
import { describe, expect, it } from 'vitest';
import { testDependencies } from '../support/deps.ts';
import { CookieBrowser, hiddenField, pkce, storedClient } from '../support/oauth.ts';
import { api, apiUrl, errorFields, expectProblem, loggedInUser, type Session } from './helpers.ts';

const events = (session: Pick<Session, 'accessToken'>, query = '') =>
  api(`/me/events${query}`, { headers: { authorization: `Bearer ${session.accessToken}` } });

async function typesOf(session: Session, query = ''): Promise<string[]> {
  const res = await events(session, query);
  expect(res.status, res.text).toBe(200);
  return res.body.events.map((event: { type: string }) => event.type);
}

describe('GET /me/events', () => {
  it('shows the login with its method, channel, network prefix and user agent', async () => {
    const session = await loggedInUser('ev');
    const res = await events(session);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.next_cursor).toBeUndefined();
    expect(res.body.events).toEqual([
      {
        id: expect.any(String),
        type: 'login_succeeded',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        channel: 'native',
        ip_prefix: expect.stringMatching(/\/(24|48)$/),
        user_agent: expect.any(String),
        details: { method: 'password' },
      },
    ]);
    expect(Date.now() - Date.parse(res.body.events[0].at)).toBeLessThan(60_000);
    expect(res.text).not.toContain(session.user.email);
    expect(res.text).not.toContain(session.user.password);
  });

  it('records each action, newest first: a wrong password, API tokens, logging out everywhere', async () => {
    const session = await loggedInUser('ev');
    const auth = { authorization: `Bearer ${session.accessToken}` };
    expect((await api('/login', { json: { username: session.user.username, password: 'not-the-password' } })).status).toBe(401);
    const created = await api('/tokens', { headers: auth, json: { name: 'ci' } });
    expect(created.status, created.text).toBe(201);
    expect((await api(`/tokens/${created.body.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const listed = await events(session);
    expect(listed.body.events.map((event: { type: string }) => event.type)).toEqual([
      'api_token_deleted',
      'api_token_created',
      'login_failed',
      'login_succeeded',
    ]);
    expect(listed.body.events[0].details).toEqual({ token_id: created.body.id });
    expect(listed.body.events[2].details).toEqual({ reason: 'wrong_password' });
    // The API token's secret is nowhere in the log.
    expect(listed.text).not.toContain(created.body.token);

    // After logging out everywhere the token is refused; a new login reads the whole trail.
    expect((await api('/logout/all', { method: 'POST', headers: auth })).status).toBe(204);
    const again = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect(again.status).toBe(200);
    expect((await typesOf({ ...session, accessToken: again.body.access_token }, '?limit=2')).sort()).toEqual(['login_succeeded', 'session_ended']);
  });

  it('pages with next_cursor and filters by type', async () => {
    const session = await loggedInUser('ev');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await api('/login', { json: { username: session.user.username, password: `wrong-${attempt}` } })).status).toBe(401);
    }
    const first = await events(session, '?limit=3');
    expect(first.body.events).toHaveLength(3);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await events(session, `?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.events.map((event: { type: string }) => event.type)).toEqual(['login_succeeded']);
    expect(second.body.next_cursor).toBeUndefined();
    const ids = [...first.body.events, ...second.body.events].map((event: { id: string }) => event.id);
    expect(new Set(ids).size).toBe(4);

    expect(await typesOf(session, '?type=login_succeeded')).toEqual(['login_succeeded']);
    expect(await typesOf(session, '?type=login_failed,api_token_created')).toEqual(['login_failed', 'login_failed', 'login_failed']);
  });

  it('shows only the caller’s own events', async () => {
    const [alice, bob] = await Promise.all([loggedInUser('eva'), loggedInUser('evb')]);
    expect((await api('/login', { json: { username: bob.user.username, password: 'wrong' } })).status).toBe(401);
    expect(await typesOf(alice)).toEqual(['login_succeeded']);
    expect(await typesOf(bob)).toEqual(['login_failed', 'login_succeeded']);
    // Bob's cursor only ever walks the caller's own log.
    const bobPage = await events(bob, '?limit=1');
    const crossed = await events(alice, `?cursor=${encodeURIComponent(bobPage.body.next_cursor)}`);
    expect(crossed.status).toBe(200);
    expect(crossed.text).not.toContain(bobPage.body.events[0].id);
  });

  it('answers each bad parameter with a 400 naming it', async () => {
    const session = await loggedInUser('ev');
    const cases: [string, string[]][] = [
      ['?limit=0', ['limit']],
      ['?limit=101', ['limit']],
      ['?limit=ten', ['limit']],
      ['?type=login_succeeded,nope', ['type']],
      ['?type=', ['type']],
      ['?cursor=not-a-cursor', ['cursor']],
      [`?cursor=${'a'.repeat(600)}`, ['cursor']],
      ['?since=2026-01-01', ['since']],
      ['?limit=0&type=x', ['limit', 'type']],
    ];
    for (const [query, fields] of cases) {
      const problem = expectProblem(await events(session, query), 400);
      expect(errorFields(problem).sort(), query).toEqual(fields);
    }
  });

  it('records a sign-in on the hosted login page with the hosted channel and the OAuth client', async () => {
    const session = await loggedInUser('evh');
    const client = await storedClient(testDependencies(), { firstParty: true });
    const browser = new CookieBrowser(apiUrl());
    const query = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: client.redirectUris[0]!,
      response_type: 'code',
      scope: 'openid',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    const start = await browser.get(`/oauth/authorize?${query}`);
    const page = await browser.get(start.location!);
    const form = { request: hiddenField(page.text, 'request'), csrf_token: hiddenField(page.text, 'csrf_token'), username: session.user.username };
    const refused = await browser.post('/oauth/login', { ...form, password: 'wrong password' });
    expect(refused.status).toBe(401);
    const signedIn = await browser.post('/oauth/login', {
      ...form,
      request: hiddenField(refused.text, 'request'),
      csrf_token: hiddenField(refused.text, 'csrf_token'),
      password: session.user.password,
    });
    expect(signedIn.status, signedIn.text).toBe(303);
    const listed = await events(session, '?limit=2');
    expect(listed.body.events).toEqual([
      expect.objectContaining({ type: 'login_succeeded', channel: 'hosted', client_id: client.clientId, details: { method: 'password' } }),
      expect.objectContaining({ type: 'login_failed', channel: 'hosted', client_id: client.clientId, details: { reason: 'wrong_password' } }),
    ]);
  });

  it('needs a session: 401 without a token, 403 for an API token', async () => {
    expectProblem(await api('/me/events'), 401);
    const session = await loggedInUser('ev');
    const created = await api('/tokens', { headers: { authorization: `Bearer ${session.accessToken}` }, json: { name: 'reader' } });
    expectProblem(await events({ accessToken: created.body.token }), 403);
  });
});
