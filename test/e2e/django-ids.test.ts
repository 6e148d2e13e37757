// The Django dialects' integer user ids over HTTP (issue 15, finding 14): TCAP documents `"id": 1`
// and miniSASS is Django too, so both show every user's `id` as a positive integer, the same one
// on every route, distinct between users, given even to accounts stored before ids existed.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { User } from '../../lib/domain/user.ts';
import { hashPassword } from '../../lib/passwords/hashing.ts';
import { testDependencies } from '../support/deps.ts';
import { api, decodeJwtParts, newUser, suffix } from './helpers.ts';

const base = '/authentication/api';
const isPositiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;

function miniSassBody(user = newUser('django')) {
  return { ...user, organizationType: 'NGO', organizationName: 'test', country: 'South Africa' };
}

async function tcapLogin(user: { username: string; password: string }) {
  const res = await api('/token-auth/tcap/', { json: { username: user.username, password: user.password } });
  expect(res.status, res.text).toBe(200);
  return res.body as { token: string; user: { id: number; uuid: string } };
}

describe('integer user ids in the Django dialects', () => {
  it('a user registered on miniSASS has one integer id on every TCAP and miniSASS route, and its UUID as uuid (the tokens’ sub)', async () => {
    const body = miniSassBody();
    const registered = await api(`${base}/register/`, { json: body });
    expect(registered.status, registered.text).toBe(201);
    const { id, uuid } = registered.body;
    expect(isPositiveInteger(id), String(id)).toBe(true);

    const tcap = await tcapLogin(body);
    expect(tcap.user).toMatchObject({ id, uuid });
    expect(decodeJwtParts(tcap.token).payload.sub).toBe(uuid);

    const service = await api('/token-auth/api/login', { json: { username: body.username, password: body.password, requested_service: 'Hash Verification' } });
    const whoami = await api('/token-auth/api/services/hash-verification/whoami', { headers: { Authorization: `Bearer ${service.body.service_token}` } });
    expect(whoami.body.user).toMatchObject({ id, uuid });

    const login = await api(`${base}/login`, { json: { email: body.email, password: body.password } });
    expect(login.body.user).toMatchObject({ id, uuid });
    const status = await api(`${base}/check-auth-status/`, { headers: { Authorization: `Bearer ${login.body.access}` } });
    expect(status.body).toMatchObject({ is_authenticated: true, id, uuid });
  });

  it('concurrent registrations get distinct integer ids', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => api(`${base}/register/`, { json: miniSassBody() })));
    for (const res of answers) expect(res.status, res.text).toBe(201);
    const ids = answers.map((res) => res.body.id);
    expect(ids.every(isPositiveInteger), ids.join(',')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an account stored before ids existed gets one at its first need, and concurrent first needs agree on it', async () => {
    // Prepare: an account as the store held it before this change: no integer id.
    const deps = testDependencies();
    const fresh = newUser('legacy');
    const now = new Date().toISOString();
    const legacy: User = {
      id: randomUUID(),
      username: fresh.username,
      email: fresh.email,
      emailVerified: false,
      profile: {},
      passwordHash: await hashPassword(fresh.password, deps.config.argon2),
      status: 'active',
      permissions: [],
      createdAt: now,
      updatedAt: now,
    };
    await deps.users.create(legacy);
    expect((await deps.users.get(legacy.id))?.number).toBeUndefined();

    // Act: TCAP and miniSASS logins at once, each the account's first need of an id.
    const [a, b, c] = await Promise.all([
      tcapLogin(fresh),
      tcapLogin(fresh),
      api(`${base}/login`, { json: { email: fresh.email, password: fresh.password } }).then((res) => res.body),
    ]);

    // Assess: one id for all, kept on the account and held by its claim.
    expect(isPositiveInteger(a.user.id), String(a.user.id)).toBe(true);
    expect([b.user.id, c.user.id]).toEqual([a.user.id, a.user.id]);
    expect((await deps.users.get(legacy.id))?.number).toBe(a.user.id);
    expect(await deps.userNumbers.findUserId(a.user.id)).toBe(legacy.id);
    expect((await tcapLogin(fresh)).user.id).toBe(a.user.id);
  });

  it('the native API keeps the UUID as id', async () => {
    const user = newUser(`native_${suffix().slice(0, 4)}`);
    const res = await api('/register', { json: user });
    expect(res.status, res.text).toBe(201);
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
