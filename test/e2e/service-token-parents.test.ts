// Over HTTP, a service token dies with what it was minted with (issue 15, finding 7): the session
// of the access token (logout, logout with the refresh token alone, logout everywhere, refresh-token
// reuse), the personal API token (deleted), the sessionless access token of a compatibility login
// (logged out). Each is refused by the routes that accept service tokens (a TCAP-style service's
// whoami, and /introspect, where the service token is the caller's credential) within the 1 s
// revocation bound, polled with a deadline; the authorizer's side is in
// test/integration/authorizer-light-client.test.ts.
import { describe, expect, it } from 'vitest';
import { type ApiResponse, api, becomes, loggedInUser, type Session } from './helpers.ts';

const SERVICE = 'hash-verification';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const refresh = (refreshToken: string) => api('/refresh', { json: { refresh_token: refreshToken } });

async function mint(credential: { bearer: string } | { username: string; password: string }): Promise<string> {
  const res =
    'bearer' in credential
      ? await api('/service-token', { headers: bearer(credential.bearer), json: { requested_service: SERVICE } })
      : await api('/service-token', { json: { ...credential, requested_service: SERVICE } });
  expect(res.status, res.text).toBe(200);
  return res.body.service_token;
}

/** The two routes that take a service token as their credential. */
const whoami = (serviceToken: string) => api(`/token-auth/api/services/${SERVICE}/whoami`, { headers: bearer(serviceToken) });
const introspectWith = (serviceToken: string) => api('/introspect', { headers: bearer(serviceToken), json: { token: 'anything' } });

async function expectAccepted(serviceToken: string): Promise<void> {
  expect((await whoami(serviceToken)).status).toBe(200);
  expect((await introspectWith(serviceToken)).status).toBe(200);
}

async function expectRefusedWithinASecond(serviceToken: string): Promise<void> {
  await becomes(401, () => whoami(serviceToken));
  await becomes(401, () => introspectWith(serviceToken));
}

describe('a service token dies with what minted it', () => {
  const endings: [string, (session: Session) => Promise<{ bearer: string; end: () => Promise<ApiResponse> }>][] = [
    ['logout', async (s) => ({ bearer: s.accessToken, end: () => api('/logout', { method: 'POST', headers: bearer(s.accessToken) }) })],
    ['logout with the refresh token alone', async (s) => ({ bearer: s.accessToken, end: () => api('/logout', { json: { refresh_token: s.refreshToken } }) })],
    ['logout everywhere', async (s) => ({ bearer: s.accessToken, end: () => api('/logout/all', { method: 'POST', headers: bearer(s.accessToken) }) })],
    [
      'refresh-token reuse detected',
      async (s) => ({
        bearer: s.accessToken,
        end: async () => {
          const next = await refresh(s.refreshToken);
          expect((await refresh(next.body.refresh_token)).status).toBe(200);
          // The token before the one just used comes back: reuse, whatever the grace period.
          return refresh(s.refreshToken);
        },
      }),
    ],
    [
      'API token deleted',
      async (s) => {
        const created = await api('/tokens', { headers: bearer(s.accessToken), json: { name: 'ci' } });
        expect(created.status, created.text).toBe(201);
        return { bearer: created.body.token, end: () => api(`/tokens/${created.body.id}`, { method: 'DELETE', headers: bearer(s.accessToken) }) };
      },
    ],
    [
      'TCAP login (a sessionless access token) logged out',
      async (s) => {
        const login = await api('/token-auth/tcap/', { json: { username: s.user.username, password: s.user.password } });
        expect(login.status, login.text).toBe(200);
        return { bearer: login.body.token, end: () => api('/logout', { method: 'POST', headers: bearer(login.body.token) }) };
      },
    ],
  ];

  it.each(endings)('%s: accepted before, refused within a second after', async (_what, prepare) => {
    const session = await loggedInUser('parent');
    const { bearer: credential, end } = await prepare(session);
    const serviceToken = await mint({ bearer: credential });
    await expectAccepted(serviceToken);
    const ended = await end();
    expect([204, 401], ended.text).toContain(ended.status);
    await expectRefusedWithinASecond(serviceToken);
  });

  it('one minted with a password outlives a logout and dies with "log out everywhere"', async () => {
    const session = await loggedInUser('pwparent');
    const serviceToken = await mint({ username: session.user.username, password: session.user.password });
    const sibling = await mint({ bearer: session.accessToken });
    expect((await api('/logout', { method: 'POST', headers: bearer(session.accessToken) })).status).toBe(204);
    await expectRefusedWithinASecond(sibling);
    // The session's service token is gone; the password's one stands (its own 5 minutes bound it).
    await expectAccepted(serviceToken);

    const again = await api('/login', { json: { username: session.user.username, password: session.user.password } });
    expect((await api('/logout/all', { method: 'POST', headers: bearer(again.body.access_token) })).status).toBe(204);
    await expectRefusedWithinASecond(serviceToken);
  });
});
