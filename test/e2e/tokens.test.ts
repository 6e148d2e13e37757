// Personal API tokens over HTTP: the whole lifecycle, the secret shown once, owner isolation,
// use wherever an access token is accepted (the authorizer included), and deletion within 1 s.
import { describe, expect, it } from 'vitest';
import { api, becomes, expectProblem, loggedInUser } from './helpers.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('/tokens', () => {
  it('creates, lists, shows, renames and renews, and deletes a token; the secret appears only once', async () => {
    const session = await loggedInUser('pat');
    const auth = bearer(session.accessToken);
    const created = await api('/tokens', { headers: auth, json: { name: ' CI deploys ', ttl: 3600 } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ name: 'CI deploys', ttl: 3600, last_used_at: null });
    expect(created.body.token).toMatch(/^authsvc_[0-9A-Za-z]{93}$/);
    expect(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)).toBeGreaterThan(3599_000);
    for (const field of ['created_at', 'modified_at', 'expires_at']) expect(created.body[field]).toMatch(ISO);

    const form = await api('/tokens', { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=nightly' });
    expect(form.status).toBe(201);
    expect(form.body.ttl).toBe(30 * 86_400);

    const listed = await api('/tokens', { headers: auth });
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toEqual(['nightly', 'CI deploys']);
    expect(listed.text).not.toContain(created.body.token);
    expect(listed.text).not.toContain(form.body.token);

    const id = created.body.id;
    const renamed = await api(`/tokens/${id}`, { method: 'PATCH', headers: auth, json: { name: 'renamed', ttl: 120 } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'renamed', ttl: 120, created_at: created.body.created_at });
    expect(Math.abs(Date.parse(renamed.body.expires_at) - (Date.now() + 120_000))).toBeLessThan(5_000);
    expect((await api(`/tokens/${id}`, { headers: auth })).body.name).toBe('renamed');

    expect((await api(`/tokens/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expectProblem(await api(`/tokens/${id}`, { headers: auth }), 404);
    expectProblem(await api(`/tokens/${id}`, { method: 'DELETE', headers: auth }), 404);
    expect((await api('/tokens', { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await api('/tokens', { headers: auth })).body.tokens).toEqual([]);
  });

  it('names the field when the input is wrong', async () => {
    const session = await loggedInUser('patbad');
    const auth = bearer(session.accessToken);
    for (const [body, field] of [
      [{ name: 'x', ttl: 59 }, 'ttl'],
      [{ name: 'x', ttl: 1.5 }, 'ttl'],
      [{ name: 'x', ttl: 'soon' }, 'ttl'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'x', colour: 'red' }, 'colour'],
    ] as const) {
      const problem = expectProblem(await api('/tokens', { headers: auth, json: body }), 400);
      expect(
        problem.errors.map((e: { field: string }) => e.field),
        JSON.stringify(body),
      ).toEqual([field]);
    }
    const short = expectProblem(await api('/tokens', { headers: auth, json: { name: 'x', ttl: 59 } }), 400);
    expect(short.errors[0].message).toContain('at least 60');
    expectProblem(await api('/tokens/not-a-uuid', { headers: auth }), 404);
    expectProblem(await api('/tokens', { method: 'PUT', headers: auth }), 405);
  });

  it("keeps each user's tokens to that user", async () => {
    const owner = await loggedInUser('owner');
    const other = await loggedInUser('other');
    const { body } = await api('/tokens', { headers: bearer(owner.accessToken), json: { name: 'mine' } });
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(`/tokens/${body.id}`, { method, headers: bearer(other.accessToken), ...(method === 'PATCH' ? { json: { name: 'stolen' } } : {}) });
      expectProblem(res, 404);
    }
    expect((await api('/tokens', { method: 'DELETE', headers: bearer(other.accessToken) })).status).toBe(204);
    expect((await api(`/tokens/${body.id}`, { headers: bearer(owner.accessToken) })).body.name).toBe('mine');
  });

  it('works as its owner wherever an access token does, but cannot manage tokens or log out', async () => {
    const session = await loggedInUser('use');
    const { body } = await api('/tokens', { headers: bearer(session.accessToken), json: { name: 'robot' } });
    const token: string = body.token;

    const me = await api('/me', { headers: { 'x-auth-token': token } });
    expect(me.status, me.text).toBe(200);
    expect(me.body.user.username).toBe(session.user.username);
    const whoami = await api('/whoami', { headers: bearer(token) });
    expect(whoami.status, whoami.text).toBe(200);
    expect(whoami.body.authorizer).toMatchObject({ token_type: 'api_token', jti: body.id });
    expect((await api('/service-token', { headers: bearer(token), json: { requested_service: 'Hash Verification' } })).status).toBe(200);
    expect((await api(`/tokens/${body.id}`, { headers: bearer(session.accessToken) })).body.last_used_at).toMatch(ISO);

    for (const [path, method] of [
      ['/tokens', 'POST'],
      ['/tokens', 'GET'],
      ['/tokens', 'DELETE'],
      ['/logout', 'POST'],
    ] as const) {
      const res = await api(path, { method, headers: bearer(token), ...(method === 'POST' && path === '/tokens' ? { json: { name: 'more' } } : {}) });
      expect(expectProblem(res, 403).code, `${method} ${path}`).toBe('insufficient_permission');
    }

    const flipped = token.slice(0, 20) + (token[20] === 'a' ? 'b' : 'a') + token.slice(21);
    expectProblem(await api('/me', { headers: bearer(flipped) }), 401);

    expect((await api(`/tokens/${body.id}`, { method: 'DELETE', headers: bearer(session.accessToken) })).status).toBe(204);
    await becomes(401, () => api('/me', { headers: bearer(token) }));
    await becomes(403, () => api('/whoami', { headers: bearer(token) }));
  });
});
