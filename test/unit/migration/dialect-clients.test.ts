// Each dialect's legacy login client (lib/migration/*-login.ts) sends that dialect's documented
// request (../shared/seeds/000-003) and reads its documented answer into a LegacyAccount; answers
// shaped as the documents show them (and as this service's own compatibility routes give them).
import { afterEach, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import { eclecticIqLogin } from '../../../lib/migration/eclecticiq-login.ts';
import { opentactLogin } from '../../../lib/migration/opentact-login.ts';
import { simplejwtLogin } from '../../../lib/migration/simplejwt-login.ts';
import { tcapLogin } from '../../../lib/migration/tcap-login.ts';
import { type FakeLegacy, fakeLegacy, jwtWith, type Reply, type SeenRequest } from './fake-legacy-server.ts';

const PASSWORD = 'legacy password 1';
let server: FakeLegacy | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply: (request: SeenRequest) => Reply) {
  server = await fakeLegacy(reply);
  return { baseUrl: server.url, timeoutMs: 2000 };
}

describe('simplejwt (miniSASS)', () => {
  // miniSASS's login view: no profile, no id; simplejwt's access token carries user_id.
  const access = jwtWith({ token_type: 'access', user_id: 42 });
  const miniSass = (request: SeenRequest): Reply => {
    if (request.path === '/authentication/api/login/') {
      return {
        status: 200,
        body: { username: 'jane@example.com', email: 'jane@example.com', access_token: access, refresh_token: 'r', is_authenticated: true, is_admin: false },
      };
    }
    if (request.path === '/authentication/api/token/') return { status: 200, body: { access, refresh: 'r' } };
    if (request.path === '/authentication/api/check-auth-status/' && request.headers.authorization === `Bearer ${access}`) {
      return { status: 200, body: { is_authenticated: true, username: 'jane@example.com', email: 'jane@example.com', is_admin: true } };
    }
    return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
  };

  it('logs in at login/ with {email, password}, then reads check-auth-status/ with the access token', async () => {
    const verdict = await simplejwtLogin(await serve(miniSass)).check('jane@example.com', PASSWORD);
    expect(server!.seen.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/authentication/api/login/'],
      ['GET', '/authentication/api/check-auth-status/'],
    ]);
    expect(server!.seen[0]!.body).toEqual({ email: 'jane@example.com', password: PASSWORD });
    expect(verdict).toEqual({
      kind: 'accepted',
      account: {
        username: 'jane@example.com',
        email: 'jane@example.com',
        emailVerified: true,
        profile: {},
        externalId: '42',
        permissions: ['admin'],
      },
    });
  });

  it('logs a username in at token/ with {username, password}', async () => {
    const verdict = await simplejwtLogin(await serve(miniSass)).check('jane', PASSWORD);
    expect(server!.seen[0]).toMatchObject({ method: 'POST', path: '/authentication/api/token/', body: { username: 'jane', password: PASSWORD } });
    expect(verdict.kind).toBe('accepted');
  });

  it('reads the profile and integer id where the answer has them (this service as the legacy system)', async () => {
    const ours = jwtWith({ sub: 'uuid-1', user_id: 9 });
    const verdict = await simplejwtLogin(
      await serve((request) =>
        request.path.endsWith('/login/')
          ? { status: 200, body: { access: ours, access_token: ours, username: 'jane', email: 'jane@example.com', user: { id: 9, first_name: 'Jane' } } }
          : { status: 200, body: { is_authenticated: true, id: 9, username: 'jane', email: 'jane@example.com', country: 'Kenya', email_verified: false } },
      ),
    ).check('jane@example.com', PASSWORD);
    expect(verdict).toEqual({
      kind: 'accepted',
      account: { username: 'jane', email: 'jane@example.com', emailVerified: false, profile: { first_name: 'Jane', country: 'Kenya' }, externalId: '9' },
    });
  });

  it('is refused for wrong credentials (asked once) and for an account check-auth-status/ refuses (inactive)', async () => {
    expect(await simplejwtLogin(await serve(() => ({ status: 401, body: { error: 'Invalid credentials' } }))).check('jane@example.com', 'x')).toEqual({
      kind: 'refused',
    });
    expect(server!.seen).toHaveLength(1);
    await server!.close();
    const inactive = (request: SeenRequest): Reply =>
      request.path.endsWith('/login/')
        ? { status: 200, body: { access_token: access } }
        : { status: 401, body: { detail: 'User is inactive', code: 'user_inactive' } };
    expect(await simplejwtLogin(await serve(inactive)).check('jane@example.com', PASSWORD)).toEqual({ kind: 'refused' });
  });

  it('cannot read a 200 without a token: 503', async () => {
    await expect(simplejwtLogin(await serve(() => ({ status: 200, body: { ok: true } }))).check('jane@example.com', PASSWORD)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});

describe('TCAP', () => {
  it('logs in at /token-auth/tcap/ with {username, password}; the user in the answer is the profile', async () => {
    const verdict = await tcapLogin(
      await serve(() => ({
        status: 200,
        body: {
          token: jwtWith({ sub: 'x' }),
          user: {
            id: 1,
            username: 'Jane',
            first_name: 'Jane',
            last_name: 'Doe',
            email: 'jane@example.com',
            organisation: 'acmec',
            permissions: ['hash_verification', 7],
            job_title: '',
            terms: '',
            terms_archive: '',
            email_verified: true,
          },
        },
      })),
    ).check('Jane', PASSWORD);
    expect(server!.seen[0]).toMatchObject({ method: 'POST', path: '/token-auth/tcap/', body: { username: 'Jane', password: PASSWORD } });
    expect(verdict).toEqual({
      kind: 'accepted',
      account: {
        username: 'Jane',
        email: 'jane@example.com',
        emailVerified: true,
        profile: { first_name: 'Jane', last_name: 'Doe', organisation_name: 'acmec' },
        externalId: '1',
        permissions: ['hash_verification'],
      },
    });
  });

  it('is refused for a 400 (DRF: "Unable to log in with provided credentials.")', async () => {
    const refused = await tcapLogin(await serve(() => ({ status: 400, body: { non_field_errors: ['Unable to log in with provided credentials.'] } }))).check(
      'Jane',
      'x',
    );
    expect(refused).toEqual({ kind: 'refused' });
  });
});

describe('EclecticIQ', () => {
  it('logs in at /api/auth with {username, password}; the account comes from the login and the JWT', async () => {
    const verdict = await eclecticIqLogin(
      await serve(() => ({ status: 200, body: { expires_at: '2019-07-14T12:41:10.063375+00:00', token: jwtWith({ user_id: 7 }) } })),
    ).check('jane@example.com', PASSWORD);
    expect(server!.seen[0]).toMatchObject({ method: 'POST', path: '/api/auth', body: { username: 'jane@example.com', password: PASSWORD } });
    expect(verdict).toEqual({
      kind: 'accepted',
      account: { username: 'jane@example.com', email: 'jane@example.com', emailVerified: false, profile: {}, externalId: '7' },
    });
  });

  it('reads username, email and email_verified from claims that carry them (this service as the legacy system)', async () => {
    const token = jwtWith({ sub: 'uuid-2', username: 'jane', email: 'jane@example.com', email_verified: true, permissions: [] });
    const verdict = await eclecticIqLogin(await serve(() => ({ status: 200, body: { expires_at: 'x', token } }))).check('jane', PASSWORD);
    expect(verdict).toEqual({
      kind: 'accepted',
      account: { username: 'jane', email: 'jane@example.com', emailVerified: true, profile: {}, externalId: 'uuid-2' },
    });
  });

  it('has no email for a username login whose token names none (the use case then refuses to create it)', async () => {
    const verdict = await eclecticIqLogin(await serve(() => ({ status: 200, body: { token: jwtWith({ user_id: 7 }) } }))).check('jane', PASSWORD);
    expect(verdict.kind === 'accepted' && verdict.account.email).toBe('');
  });
});

describe('Opentact', () => {
  it('authenticates at GET /rest/auth with Basic base64(email:password); the payload is the profile', async () => {
    const verdict = await opentactLogin(
      await serve(() => ({
        status: 200,
        body: {
          success: true,
          payload: {
            uuid: '60e9fa76-20e7-45ee-bf24-8c4a95143dad',
            email: 'abc@example.co.uk',
            phone_number: null,
            first_name: 'John',
            last_name: 'Smith',
            role: 'User',
            token: jwtWith({ uuid: '60e9fa76-20e7-45ee-bf24-8c4a95143dad' }),
          },
        },
      })),
    ).check('abc@example.co.uk', PASSWORD);
    expect(server!.seen[0]).toMatchObject({ method: 'GET', path: '/rest/auth' });
    expect(server!.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`abc@example.co.uk:${PASSWORD}`).toString('base64')}`);
    expect(verdict).toEqual({
      kind: 'accepted',
      account: {
        username: 'abc@example.co.uk',
        email: 'abc@example.co.uk',
        emailVerified: false,
        profile: { first_name: 'John', last_name: 'Smith' },
        externalId: '60e9fa76-20e7-45ee-bf24-8c4a95143dad',
      },
    });
  });

  it('is refused for a 401 and for {success: false}', async () => {
    expect(await opentactLogin(await serve(() => ({ status: 401, body: { success: false, error: {} } }))).check('a@example.com', 'x')).toEqual({
      kind: 'refused',
    });
    await server!.close();
    expect(await opentactLogin(await serve(() => ({ status: 200, body: { success: false, error: {} } }))).check('a@example.com', 'x')).toEqual({
      kind: 'refused',
    });
  });
});
