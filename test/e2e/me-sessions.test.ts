// GET /me/sessions and DELETE /me/sessions/{id} over HTTP: every live session of the caller
// (app sessions from logins and from an OAuth client, the hosted pages' browser session), newest
// first with `current`; ending one refuses its access token within a second and its refresh token
// at once; another user's, unknown, ended or malformed ids are 404; API tokens are refused.
import { describe, expect, it } from 'vitest';
import type { OAuthClient } from '../../lib/domain/oauth-client.ts';
import { testDependencies } from '../support/deps.ts';
import { CookieBrowser, hiddenField, pkce, storedClient } from '../support/oauth.ts';
import { api, apiUrl, becomes, decodeJwtParts, expectProblem, loggedInUser, type NewUser, type Session } from './helpers.ts';

const deps = testDependencies();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sessions = (token: string) => api('/me/sessions', { headers: bearer(token) });
const endSession = (token: string, id: string) => api(`/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', headers: bearer(token) });
const sidOf = (accessToken: string): string => decodeJwtParts(accessToken).payload.sid;

async function loginAgain(session: Session, userAgent: string) {
  const res = await api('/login', { json: { username: session.user.username, password: session.user.password }, headers: { 'user-agent': userAgent } });
  expect(res.status, res.text).toBe(200);
  return { accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
}

/** Signs in on the hosted login page through an authorization request: the browser then holds a browser session, and the client gets a code. */
async function hostedSignIn(user: NewUser, client: OAuthClient) {
  const browser = new CookieBrowser(apiUrl());
  const verifier = pkce();
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0]!,
    response_type: 'code',
    scope: 'openid profile',
    state: 's',
    code_challenge: verifier.challenge,
    code_challenge_method: 'S256',
  });
  const start = await browser.get(`/oauth/authorize?${query}`);
  expect(start.status).toBe(302);
  const page = await browser.get(start.location!);
  const signedIn = await browser.post(
    '/oauth/login',
    { request: hiddenField(page.text, 'request'), csrf_token: hiddenField(page.text, 'csrf_token'), username: user.username, password: user.password },
    { 'user-agent': 'HostedBrowser/1.0' },
  );
  expect([302, 303], signedIn.text).toContain(signedIn.status);
  const code = new URL(signedIn.location!).searchParams.get('code')!;
  const token = await api('/oauth/token', {
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUris[0]!,
      client_id: client.clientId,
      code_verifier: verifier.verifier,
    }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(token.status, token.text).toBe(200);
  return { browser, oauthAccessToken: token.body.access_token as string };
}

describe('GET /me/sessions', () => {
  it("lists every live session, newest first, with the caller's marked current", async () => {
    const session = await loggedInUser('sess');
    const second = await loginAgain(session, 'SecondDevice/2.0');
    const res = await sessions(session.accessToken);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const list = res.body.sessions as any[];
    expect(list.map((s) => s.id)).toEqual([sidOf(second.accessToken), sidOf(session.accessToken)]);
    expect(list.map((s) => s.current)).toEqual([false, true]);
    const newest = list[0];
    expect(newest).toMatchObject({
      kind: 'app',
      client: { type: 'native' },
      user_agent: 'SecondDevice/2.0',
      authentication: { amr: ['pwd'], acr: 'aal1', auth_time: expect.any(Number) },
    });
    expect(newest.ip_prefix).toMatch(/^(\d+\.\d+\.\d+\.0\/24|[0-9a-f:]+\/48)$/);
    for (const field of ['created_at', 'last_used_at', 'expires_at']) expect(new Date(newest[field]).toISOString()).toBe(newest[field]);
    // A refresh moves last_used_at on.
    const refreshed = await api('/refresh', { json: { refresh_token: second.refreshToken } });
    expect(refreshed.status).toBe(200);
    const after = ((await sessions(session.accessToken)).body.sessions as any[]).find((s) => s.id === newest.id);
    expect(Date.parse(after.last_used_at)).toBeGreaterThanOrEqual(Date.parse(newest.last_used_at));
    expect(after.last_used_at).not.toBe(after.created_at);
  });

  it("lists the hosted pages' browser session and the OAuth client's session with the client's name", async () => {
    const session = await loggedInUser('sessb');
    const client = await storedClient(deps, { firstParty: true, name: 'Sessions Test App' });
    await hostedSignIn(session.user, client);
    const list = (await sessions(session.accessToken)).body.sessions as any[];
    const browser = list.find((s) => s.kind === 'browser');
    const oauth = list.find((s) => s.client.type === 'oauth');
    expect(browser).toMatchObject({ client: { type: 'hosted' }, user_agent: 'HostedBrowser/1.0', current: false });
    expect(oauth).toMatchObject({ kind: 'app', client: { type: 'oauth', id: client.clientId, name: 'Sessions Test App' }, current: false });
    expect(list).toHaveLength(3);
  });

  it("refuses API tokens (403) and OAuth clients' tokens, and a missing token (401)", async () => {
    const session = await loggedInUser('sesst');
    const created = await api('/tokens', { json: { name: 'ci' }, headers: bearer(session.accessToken) });
    expect(created.status).toBe(201);
    expectProblem(await sessions(created.body.token), 403);
    expectProblem(await api('/me/sessions'), 401);
    const client = await storedClient(deps, { firstParty: true });
    const { oauthAccessToken } = await hostedSignIn(session.user, client);
    expectProblem(await sessions(oauthAccessToken), 403);
  });
});

describe('DELETE /me/sessions/{id}', () => {
  it("ends one session: its access token is refused within 1 s, its refresh token at once; the caller's stays", async () => {
    const session = await loggedInUser('endone');
    const other = await loginAgain(session, 'Other/1.0');
    expect((await api('/me', { headers: bearer(other.accessToken) })).status).toBe(200);
    const res = await endSession(session.accessToken, sidOf(other.accessToken));
    expect(res.status, res.text).toBe(204);
    await becomes(401, () => api('/me', { headers: bearer(other.accessToken) }));
    expect((await api('/refresh', { json: { refresh_token: other.refreshToken } })).status).toBe(401);
    expect((await api('/me', { headers: bearer(session.accessToken) })).status).toBe(200);
    expect(((await sessions(session.accessToken)).body.sessions as any[]).map((s) => s.id)).toEqual([sidOf(session.accessToken)]);
    // Ended: a second DELETE finds nothing.
    expectProblem(await endSession(session.accessToken, sidOf(other.accessToken)), 404);
    // The event, with the session's id.
    const userId = decodeJwtParts(session.accessToken).payload.sub;
    const { events } = await deps.securityEvents.list(userId, { limit: 10, types: ['session_ended'] }, Math.floor(Date.now() / 1000));
    expect(events.map((event) => event.details)).toEqual([{ session_id: sidOf(other.accessToken) }]);
  });

  it('ends a browser session; the app session the OAuth client got from it stays', async () => {
    const session = await loggedInUser('endbrowser');
    const client = await storedClient(deps, { firstParty: true });
    const { oauthAccessToken } = await hostedSignIn(session.user, client);
    const browser = ((await sessions(session.accessToken)).body.sessions as any[]).find((s) => s.kind === 'browser');
    expect((await endSession(session.accessToken, browser.id)).status).toBe(204);
    expect((await deps.browserSessions.get(browser.id))?.revoked).toBe(true);
    const left = (await sessions(session.accessToken)).body.sessions as any[];
    expect(left.map((s) => s.kind).sort()).toEqual(['app', 'app']);
    expect((await api('/oauth/userinfo', { headers: bearer(oauthAccessToken) })).status).toBe(200);
  });

  it("answers 404 for another user's session, an unknown id and a malformed one, and ends nothing", async () => {
    const alice = await loggedInUser('alice');
    const bob = await loggedInUser('bob');
    const bobs = sidOf(bob.accessToken);
    const problem = expectProblem(await endSession(alice.accessToken, bobs), 404);
    expect(problem.detail).toBe('No such session.');
    expect((await api('/me', { headers: bearer(bob.accessToken) })).status).toBe(200);
    expect((await api('/refresh', { json: { refresh_token: bob.refreshToken } })).status).toBe(200);
    expect(expectProblem(await endSession(alice.accessToken, '00000000-0000-4000-8000-000000000000'), 404).detail).toBe('No such session.');
    for (const id of ['x', 'a'.repeat(3000), '../../me', '%00']) expectProblem(await endSession(alice.accessToken, id), 404);
  });
});
