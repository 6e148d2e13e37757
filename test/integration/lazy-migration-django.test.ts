// Lazy migration from a real Django REST Framework + simplejwt service: the miniSASS reference app
// (test/reference/django/, Debian's python3-django, -djangorestframework, -djangorestframework-simplejwt)
// is the legacy system, with users Django itself created; this service's real Lambda handlers,
// loaded with MIGRATE_FROM_URL pointing at it, on a table of their own. A first sign-in creates the
// account here, and it keeps working once the legacy server is stopped; a wrong password or an
// inactive Django account creates nothing; a stopped legacy server is a 503 in every dialect.
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../lib/http/types.ts';
import type { Dependencies } from '../../lib/wiring/dependencies.ts';
import { freshTable, stackEnv } from '../support/deps.ts';
import { type DjangoReference, startDjangoReference } from '../support/django-reference.ts';
import { httpEvent } from '../support/http-event.ts';
import { CHEAP_ARGON2, expectUnavailable, type Handler, type Handlers, keepProcessEnv, loadService, send } from '../support/service-handlers.ts';

keepProcessEnv();

const PASSWORD = 'a legacy password, long enough';
// miniSASS's registration makes the email address the username; a Django admin may pick any.
const JANE = { username: 'jane@minisass.example', email: 'jane@minisass.example', first_name: 'Jane', is_staff: true };
const BOB = { username: 'bob_legacy', email: 'bob@minisass.example' };
const INACTIVE = { username: 'ina@minisass.example', email: 'ina@minisass.example', is_active: false };
const CAROL = { username: 'carol@minisass.example', email: 'carol@minisass.example' };
const base = '/authentication/api';

let django: DjangoReference;
let handlers: Handlers;
let deps: Dependencies;
const compat: Record<'minisass' | 'tcap' | 'eclecticiq' | 'opentact', Handler> = {} as never;

beforeAll(async () => {
  django = await startDjangoReference([JANE, BOB, INACTIVE, CAROL].map((user) => ({ ...user, password: PASSWORD })));
  const tableName = await freshTable();
  ({ handlers, deps } = await loadService(
    stackEnv({
      ...CHEAP_ARGON2,
      TABLE_NAME: tableName,
      IP_RATE_LIMIT_PER_MINUTE: '0',
      MIGRATE_FROM_URL: django.url,
      MIGRATE_FROM_DIALECT: 'simplejwt',
      MIGRATE_TIMEOUT_MS: '3000',
      MIGRATE_FAILED_LOGIN_MIN_MS: '50',
    }),
  ));
  for (const name of ['minisass', 'tcap', 'eclecticiq', 'opentact'] as const) {
    compat[name] = (await import(`../../functions/compat-${name}.ts`)).handler as Handler;
  }
});

afterAll(async () => {
  await django?.stop();
});

/** GET /rest/auth with HTTP Basic, as Opentact's clients send it. */
async function opentactAuth(login: string, password: string) {
  const event: HttpEvent = httpEvent({
    method: 'GET',
    path: '/rest/auth',
    headers: { authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` },
  });
  const result: HttpResult = await compat.opentact(event, { awsRequestId: 'lazy-django' } as Context);
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('lazy migration from a running Django REST Framework + simplejwt service', () => {
  it('creates nothing for a wrong password: the usual 401', async () => {
    const answer = await send(compat.minisass, `${base}/login/`, { body: { email: JANE.email, password: 'not the password' } });
    expect([answer.status, answer.body]).toEqual([401, { error: 'Invalid credentials' }]);
    expect(await deps.users.findByLogin(JANE.email)).toBeUndefined();
  });

  it('creates nothing for an account Django has not activated, though its login view lets it in', async () => {
    const answer = await send(handlers.login, '/login', { body: { email: INACTIVE.email, password: PASSWORD } });
    expect(answer.status).toBe(401);
    expect(await deps.users.findByLogin(INACTIVE.email)).toBeUndefined();
  });

  it('creates the account at the first sign-in, by email or by username, with what Django knows of it', async () => {
    const jane = await send(compat.minisass, `${base}/login/`, { body: { email: JANE.email, password: PASSWORD } });
    const bob = await send(handlers.login, '/login', { body: { username: BOB.username, password: PASSWORD } });

    expect(jane.status).toBe(200);
    expect(bob.status).toBe(200);
    const janeHere = await deps.users.findByLogin(JANE.email);
    expect(janeHere).toMatchObject({
      username: JANE.username,
      email: JANE.email,
      emailVerified: true,
      // Django's primary key: the account's integer id here too, so miniSASS clients see the same `id`.
      externalId: String(django.seeded[JANE.username]),
      number: django.seeded[JANE.username],
      // is_staff, which miniSASS answers as is_admin.
      permissions: ['admin'],
    });
    expect(janeHere!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(jane.body).toMatchObject({ is_admin: true, user: { id: django.seeded[JANE.username], email: JANE.email } });
    expect(await deps.users.findByLogin(BOB.username)).toMatchObject({ email: BOB.email, externalId: String(django.seeded[BOB.username]), permissions: [] });
  });

  it('logs migrated users in with the legacy server stopped, and answers 503 in every dialect for those not yet migrated', async () => {
    await django.stop();

    // Migrated: no legacy call at all.
    expect((await send(handlers.login, '/login', { body: { email: JANE.email, password: PASSWORD } })).status).toBe(200);
    expect((await send(compat.tcap, '/token-auth/tcap/', { body: { username: BOB.username, password: PASSWORD } })).status).toBe(200);
    // And a wrong password of a migrated user is this service's 401, not a 503.
    expect((await send(handlers.login, '/login', { body: { email: JANE.email, password: 'wrong' } })).status).toBe(401);

    // Not migrated: the legacy system cannot say, so neither can we.
    expectUnavailable(await send(handlers.login, '/login', { body: { email: CAROL.email, password: PASSWORD } }));
    const miniSass = await send(compat.minisass, `${base}/login/`, { body: { email: CAROL.email, password: PASSWORD } });
    const tcap = await send(compat.tcap, '/token-auth/tcap/', { body: { username: CAROL.username, password: PASSWORD } });
    const eclecticIq = await send(compat.eclecticiq, '/api/auth', { body: { username: CAROL.username, password: PASSWORD } });
    const opentact = await opentactAuth(CAROL.email, PASSWORD);
    expect([miniSass.status, miniSass.body.code]).toEqual([503, 'service_unavailable']);
    expect([tcap.status, tcap.body.code]).toEqual([503, 'service_unavailable']);
    expectUnavailable(eclecticIq);
    expect([opentact.status, opentact.body]).toMatchObject([503, { success: false, error: { code: 'service_unavailable' } }]);
    for (const answer of [miniSass, tcap, opentact]) expect(answer.headers['retry-after']).toBe('1');
    expect(await deps.users.findByLogin(CAROL.email)).toBeUndefined();
  });
});
