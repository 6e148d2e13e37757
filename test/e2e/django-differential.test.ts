// The miniSASS dialect against Django itself (issue 20): every scenario is sent to a Django REST
// Framework 3.14 + simplejwt 5.2 app reproducing miniSASS's authentication views
// (test/reference/django/, kartoza/miniSASS at 9ba4bced, the seed document's date) and to our
// /authentication/api/ routes, comparing status, media type, JSON shape and error texts. Every
// difference that remains is listed with its scenario as an intended deviation, with the reason; a
// difference not listed fails, and so does a listed one that no longer occurs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompareOptions, type Deviation, type Difference, differences, explain, type Observed, observe } from '../support/differential.ts';
import { type DjangoReference, startDjangoReference } from '../support/django-reference.ts';
import { apiUrl } from './helpers.ts';

const PATH = '/authentication/api';

interface Side {
  name: 'reference' | 'ours';
  base: string;
  /** Makes a just-registered account usable (the reference mails an activation link; ours needs nothing). */
  activate: (email: string) => Promise<void>;
}

interface Account {
  username: string;
  email: string;
  /** Meets miniSASS's strong-password rules (so its is_password_enforced is true) and our policy. */
  password: string;
}

interface Fixture {
  side: Side;
  user: Account;
  access: string;
  refresh: string;
}

interface Request {
  method?: string;
  path: string;
  json?: unknown;
  /** Sent as is, with `contentType`. */
  raw?: string;
  contentType?: string;
  form?: Record<string, string>;
  multipart?: Record<string, string>;
  authorization?: string;
}

interface Scenario extends CompareOptions {
  name: string;
  /** A fixture of its own (for scenarios that end sessions or count failures); otherwise one shared per side. */
  fresh?: boolean;
  /** Steps before the compared request, on each side. */
  before?: (fx: Fixture) => Promise<void>;
  request: (fx: Fixture) => Request;
  /** What is compared, when not the answer itself (e.g. the claims of the access token it holds). */
  view?: (answer: Observed) => Observed;
  deviations?: Deviation[];
  /** Where the body deviates on purpose, what ours answers instead (asymmetric matchers allowed). */
  oursBody?: unknown;
}

const newAccount = (): Account => {
  const id = randomBytes(5).toString('hex');
  return { username: `dj_${id}`, email: `dj.${id}@example.com`, password: `Aa1!${randomBytes(12).toString('base64url')}` };
};

/** The body the seed document shows for register/, which both sides accept. */
const documentedRegisterBody = (user: Account) => ({
  username: user.username,
  first_name: 'test_name',
  last_name: 'test_lastname',
  email: user.email,
  password: user.password,
  organizationType: 'NGO',
  organizationName: 'test',
  country: 'South Africa',
  additional_fields: 'additional_data',
});

/** The body the real miniSASS frontend (RegistrationFormModal) sends to register/. */
const frontendRegisterBody = (user: Account, confirmPassword = user.password) => ({
  username: user.username,
  name: 'Jane',
  surname: 'Doe',
  email: user.email,
  organizationType: 'NGO',
  organizationName: 'Kartoza',
  country: 'ZA',
  password: user.password,
  confirmPassword,
});

async function send(side: Side, request: Request): Promise<Observed> {
  const headers = new Headers({ accept: 'application/json, text/plain, */*' });
  let body: RequestInit['body'];
  if (request.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(request.json);
  } else if (request.raw !== undefined) {
    headers.set('content-type', request.contentType ?? 'application/json');
    body = request.raw;
  } else if (request.form) {
    body = new URLSearchParams(request.form);
  } else if (request.multipart) {
    const form = new FormData();
    for (const [key, value] of Object.entries(request.multipart)) form.append(key, value);
    body = form;
  }
  if (request.authorization !== undefined) headers.set('authorization', request.authorization);
  const method = request.method ?? (body === undefined ? 'GET' : 'POST');
  return observe(await fetch(`${side.base}${PATH}/${request.path}`, { method, headers, body, redirect: 'manual' }));
}

async function expectStatus(side: Side, request: Request, status: number): Promise<Observed> {
  const answer = await send(side, request);
  expect(answer.status, `${side.name} ${request.path}: ${JSON.stringify(answer.body)}`).toBe(status);
  return answer;
}

/** A registered, active account, logged in through login/ (the frontend's way). */
async function fixture(side: Side): Promise<Fixture> {
  const user = newAccount();
  await expectStatus(side, { path: 'register/', json: documentedRegisterBody(user) }, 201);
  await side.activate(user.email);
  const login = (await expectStatus(side, { path: 'login/', json: { email: user.email, password: user.password } }, 200)).body as Record<string, string>;
  // Before issue 20 ours answered only the documented names: the fixture works with either.
  const access = login.access_token ?? login.access;
  const refresh = login.refresh_token ?? login.refresh;
  if (!access || !refresh) throw new Error(`${side.name}: login/ answered no tokens: ${JSON.stringify(login)}`);
  return { side, user, access, refresh };
}

const bearer = (token: string) => `Bearer ${token}`;

/** The claims of the JWT at `field` of the answer's body, as the compared body. */
const claimsOf =
  (field: string) =>
  (answer: Observed): Observed => {
    const token = (answer.body as Record<string, unknown>)?.[field];
    if (typeof token !== 'string') return { ...answer, body: { [`no ${field} in the answer`]: answer.body } };
    return { ...answer, body: JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) };
  };

const failLogins = async (fx: Fixture, times: number) => {
  for (let i = 0; i < times; i++) await send(fx.side, { path: 'login/', json: { email: fx.user.email, password: `${fx.user.password}x` } });
};

// Reasons shared by several scenarios.
const MORE_USER_FIELDS: Deviation = {
  on: 'body',
  kinds: ['extra'],
  reason: 'ours shows more of the user (integer id, uuid, profile fields, email_verified); clients ignore keys they do not read',
};
const DOCUMENTED_NAMES: Deviation = {
  on: 'body',
  kinds: ['extra'],
  reason: 'login/ answers the documented simplejwt names (access, refresh) and the user beside the real view’s names (issue 20)',
};
/** Keys that name prototype members (__proto__, constructor, prototype) are refused by our body parser on every route. */
const PROTOTYPE_KEYS: Deviation[] = [
  { on: 'status', reason: 'our body parser refuses keys naming prototype members on every route (SECURITY.md, input hardening); DRF ignores them' },
  { on: 'body', kinds: ['missing', 'extra'], reason: 'ours names the refused key in DRF’s field-error shape instead of answering the request' },
];
const OUR_CLAIMS: Deviation = {
  on: 'body',
  kinds: ['extra'],
  reason: 'our own claims (sub, iss, aud, sid, ...) beside simplejwt’s; user_id and token_type are there too',
};
/** Ours names the field where the real view answers {"error": "..."}. */
const namesField = (field: string, reason: string): Deviation[] => [
  { on: 'body.error', kinds: ['missing'], reason },
  { on: `body.${field}`, kinds: ['extra'], reason },
];

const scenarios: Scenario[] = [
  // login/: the frontend's own requests.
  {
    name: 'login/ with the frontend’s body (usernameForEmailRetrieval "")',
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: user.password, usernameForEmailRetrieval: '' } }),
    deviations: [DOCUMENTED_NAMES],
  },
  {
    name: 'login/ with usernameForEmailRetrieval null (after an email look-up)',
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: user.password, usernameForEmailRetrieval: null } }),
    deviations: [DOCUMENTED_NAMES],
  },
  {
    name: 'login/ form-urlencoded',
    request: ({ user }) => ({ path: 'login/', form: { email: user.email, password: user.password } }),
    deviations: [DOCUMENTED_NAMES],
  },
  {
    name: 'login/ multipart',
    request: ({ user }) => ({ path: 'login/', multipart: { email: user.email, password: user.password, usernameForEmailRetrieval: user.username } }),
    deviations: [DOCUMENTED_NAMES],
  },
  {
    // axios keeps `Bearer ${access_token}` as a default header after a login, so the frontend sends
    // a stale token with its next login.
    name: 'login/ with a malformed Bearer token beside the credentials',
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: user.password }, authorization: bearer('not-a-token') }),
    deviations: [
      {
        on: 'status',
        reason:
          'the real view authenticates every request with JWTAuthentication first, so a stale token blocks the login (401); ours ignores the header where a password is checked',
      },
      { on: 'body', kinds: ['missing', 'extra'], reason: 'ours answers the login itself instead of simplejwt’s token_not_valid' },
    ],
    oursBody: expect.objectContaining({ is_authenticated: true }),
  },
  {
    name: 'login/ access token claims (user_id, token_type)',
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: user.password } }),
    view: claimsOf('access_token'),
    exact: ['body.token_type'],
    deviations: [OUR_CLAIMS],
  },
  {
    name: 'login/ with a wrong password',
    fresh: true,
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: `${user.password}x`, usernameForEmailRetrieval: '' } }),
  },
  { name: 'login/ with an unknown email', request: () => ({ path: 'login/', json: { email: 'nobody.here@example.com', password: 'Aa1!whatever-it-is' } }) },
  { name: 'login/ with an empty body', request: () => ({ path: 'login/', json: {} }) },
  {
    name: 'login/ after as many failures as our lockout allows',
    fresh: true,
    before: (fx) => failLogins(fx, 5),
    request: ({ user }) => ({ path: 'login/', json: { email: user.email, password: `${user.password}x` } }),
    deviations: [
      { on: 'status', reason: 'ours locks an account out after LOGIN_MAX_FAILURES failures (429 with Retry-After); the real view has no lockout' },
      { on: 'body', kinds: ['missing', 'extra'], reason: 'the lockout’s own error ({"detail", "code"}) instead of {"error": "Invalid credentials"}' },
    ],
    oursBody: expect.objectContaining({ detail: expect.any(String) }),
  },
  { name: 'login/ GET', request: () => ({ method: 'GET', path: 'login/' }) },
  {
    name: 'login/ OPTIONS describes the view',
    request: () => ({ method: 'OPTIONS', path: 'login/' }),
    deviations: [
      { on: 'body.methods', kinds: ['extra'], reason: 'ours lists the allowed methods in the description too' },
      { on: 'body.renders', kinds: ['value'], reason: 'ours renders JSON only: there is no browsable HTML API (text/html)' },
    ],
  },

  // token/ (simplejwt's TokenObtainPairView); the real register/ makes the email the username.
  { name: 'token/', request: ({ user }) => ({ path: 'token/', json: { username: user.email, password: user.password } }) },
  {
    name: 'token/ ignores unknown keys',
    request: ({ user }) => ({
      path: 'token/',
      raw: `{"username":${JSON.stringify(user.email)},"password":${JSON.stringify(user.password)},"remember":true,"extra":{"is_admin":true}}`,
    }),
  },
  {
    name: 'token/ with a __proto__ key',
    request: ({ user }) => ({
      path: 'token/',
      raw: `{"username":${JSON.stringify(user.email)},"password":${JSON.stringify(user.password)},"__proto__":{"is_admin":true}}`,
    }),
    deviations: PROTOTYPE_KEYS,
    oursBody: JSON.parse('{"__proto__": ["This field name is not allowed."]}'),
  },
  {
    name: 'token/ access token claims (user_id, token_type)',
    request: ({ user }) => ({ path: 'token/', json: { username: user.email, password: user.password } }),
    view: claimsOf('access'),
    exact: ['body.token_type'],
    deviations: [OUR_CLAIMS],
  },
  {
    name: 'token/ with a wrong password',
    fresh: true,
    request: ({ user }) => ({ path: 'token/', json: { username: user.email, password: `${user.password}x` } }),
  },
  { name: 'token/ with an empty body', request: () => ({ path: 'token/', json: {} }) },
  { name: 'token/ with blank fields', request: () => ({ path: 'token/', json: { username: '', password: '' } }) },
  { name: 'token/ with null fields', request: () => ({ path: 'token/', json: { username: null, password: null } }) },
  { name: 'token/ GET', request: () => ({ method: 'GET', path: 'token/' }) },
  { name: 'token/ text/plain', request: () => ({ path: 'token/', raw: 'username=a&password=b', contentType: 'text/plain' }) },
  {
    name: 'token/ malformed JSON',
    request: () => ({ path: 'token/', raw: '{"username":' }),
    // Python's json module words the rest; DRF's prefix is what clients can rely on.
    patterns: { 'body.detail': /^JSON parse error - / },
  },

  // token/refresh/ (simplejwt's TokenRefreshView, miniSASS's settings: no rotation).
  { name: 'token/refresh/', fresh: true, request: ({ refresh }) => ({ path: 'token/refresh/', json: { refresh } }) },
  {
    name: 'token/refresh/ twice with one refresh token (no rotation)',
    fresh: true,
    before: async (fx) => void (await expectStatus(fx.side, { path: 'token/refresh/', json: { refresh: fx.refresh } }, 200)),
    request: ({ refresh }) => ({ path: 'token/refresh/', json: { refresh } }),
  },
  {
    name: 'token/refresh/ access token claims (user_id, token_type)',
    fresh: true,
    request: ({ refresh }) => ({ path: 'token/refresh/', json: { refresh } }),
    view: claimsOf('access'),
    exact: ['body.token_type'],
    deviations: [OUR_CLAIMS],
  },
  { name: 'token/refresh/ with a malformed token', request: () => ({ path: 'token/refresh/', json: { refresh: 'not-a-token' } }) },
  { name: 'token/refresh/ with an access token', request: ({ access }) => ({ path: 'token/refresh/', json: { refresh: access } }) },
  { name: 'token/refresh/ with an empty body', request: () => ({ path: 'token/refresh/', json: {} }) },
  {
    name: 'refresh/ (the seed document’s path)',
    fresh: true,
    request: ({ refresh }) => ({ path: 'refresh/', json: { refresh } }),
    deviations: [
      { on: 'status', reason: 'the seed document names refresh/, so ours serves it beside token/refresh/; the real app has only token/refresh/ (404)' },
      { on: 'content-type', reason: 'Django’s 404 is an HTML page' },
      { on: 'body', reason: 'Django’s 404 page against our refresh answer' },
    ],
  },
  {
    name: 'token/refresh/ after logout/',
    fresh: true,
    before: async (fx) => void (await expectStatus(fx.side, { path: 'logout/', authorization: bearer(fx.access), json: {} }, 200)),
    request: ({ refresh }) => ({ path: 'token/refresh/', json: { refresh } }),
    deviations: [
      {
        on: 'status',
        reason: 'logout/ ends our session, refresh token included; the real view only clears the Django session, so its refresh tokens stay valid',
      },
      { on: 'body', kinds: ['missing', 'extra'], reason: 'simplejwt’s answer to a refresh token that no longer works (as with its blacklist app)' },
    ],
    oursBody: { detail: 'Token is blacklisted', code: 'token_not_valid' },
  },

  // check-auth-status/ (IsAuthenticated, simplejwt's JWTAuthentication).
  {
    name: 'check-auth-status/ with the access token',
    request: ({ access }) => ({ path: 'check-auth-status/', authorization: bearer(access) }),
    deviations: [MORE_USER_FIELDS],
  },
  { name: 'check-auth-status/ without a token', request: () => ({ path: 'check-auth-status/' }) },
  { name: 'check-auth-status/ with a malformed token', request: () => ({ path: 'check-auth-status/', authorization: bearer('not-a-token') }) },
  { name: 'check-auth-status/ with the refresh token', request: ({ refresh }) => ({ path: 'check-auth-status/', authorization: bearer(refresh) }) },
  { name: 'check-auth-status/ with "Bearer" and no token', request: () => ({ path: 'check-auth-status/', authorization: 'Bearer' }) },
  { name: 'check-auth-status/ with another scheme', request: ({ access }) => ({ path: 'check-auth-status/', authorization: `Token ${access}` }) },
  { name: 'check-auth-status/ POST', request: ({ access }) => ({ method: 'POST', path: 'check-auth-status/', authorization: bearer(access), json: {} }) },
  // No "check-auth-status/ after logout/": ours revokes the access token too, but a token check may
  // be answered from a cache up to one second old (lib/auth/token-checker.ts), and tests do not sleep.

  // logout/ (IsAuthenticated).
  // The frontend's axios.post(logout) sends no body.
  { name: 'logout/', fresh: true, request: ({ access }) => ({ method: 'POST', path: 'logout/', authorization: bearer(access) }), exact: ['body.message'] },
  {
    name: 'logout/ with the refresh token in the body',
    fresh: true,
    request: ({ access, refresh }) => ({ path: 'logout/', authorization: bearer(access), json: { refresh } }),
  },
  { name: 'logout/ without a token', request: () => ({ path: 'logout/', json: {} }) },

  // register/.
  {
    name: 'register/ with the frontend’s body (name, surname, confirmPassword)',
    request: () => ({ path: 'register/', json: frontendRegisterBody(newAccount()) }),
    deviations: [MORE_USER_FIELDS],
  },
  {
    name: 'register/ with the seed document’s body',
    request: () => ({ path: 'register/', json: documentedRegisterBody(newAccount()) }),
    deviations: [MORE_USER_FIELDS],
  },
  {
    name: 'register/ ignores unknown keys',
    request: () => {
      const body = JSON.stringify(frontendRegisterBody(newAccount()));
      return { path: 'register/', raw: `${body.slice(0, -1)},"newsletter":true,"extra":{"is_admin":true}}` };
    },
    deviations: [MORE_USER_FIELDS],
  },
  {
    name: 'register/ with a __proto__ key',
    request: () => {
      const body = JSON.stringify(frontendRegisterBody(newAccount()));
      return { path: 'register/', raw: `${body.slice(0, -1)},"__proto__":{"is_admin":true}}` };
    },
    deviations: PROTOTYPE_KEYS,
    oursBody: JSON.parse('{"__proto__": ["This field name is not allowed."]}'),
  },
  {
    name: 'register/ with a taken email',
    request: ({ user }) => ({ path: 'register/', json: frontendRegisterBody({ ...newAccount(), email: user.email }) }),
    deviations: namesField('email', 'ours names the field as DRF does; the real view answers {"error": "This email is already registered."}'),
    oursBody: { email: [expect.any(String)] },
  },
  {
    name: 'register/ with a taken username',
    request: ({ user }) => ({ path: 'register/', json: frontendRegisterBody({ ...newAccount(), username: user.username }) }),
    deviations: [
      {
        on: 'status',
        reason: 'the real view drops the username and makes the email the username; ours keeps usernames, unique, so a taken one is a 400 naming it',
      },
      { on: 'body', kinds: ['missing', 'extra', 'type'], reason: 'ours names the username field instead of showing the new user' },
    ],
    oursBody: { username: [expect.any(String)] },
  },
  {
    name: 'register/ with confirmPassword different from password',
    request: () => {
      const user = newAccount();
      return { path: 'register/', json: frontendRegisterBody(user, `${user.password}x`) };
    },
    deviations: [
      { on: 'status', reason: 'the real view ignores confirmPassword (only its frontend compares them); ours refuses a mismatch, as issue 20 asks' },
      { on: 'body', kinds: ['missing', 'extra'], reason: 'ours names confirmPassword instead of showing the new user' },
    ],
    oursBody: { confirmPassword: [expect.any(String)] },
  },
  {
    name: 'register/ without organizationName',
    request: () => {
      const { organizationName: _, ...body } = frontendRegisterBody(newAccount());
      return { path: 'register/', json: body };
    },
    deviations: namesField(
      'organizationName',
      'ours names the missing field; the real view answers {"error": "Missing required fields ..."} (after creating the user)',
    ),
    oursBody: { organizationName: ['This field is required.'] },
  },
  { name: 'register/ with an invalid email', request: () => ({ path: 'register/', json: frontendRegisterBody({ ...newAccount(), email: 'not-an-email' }) }) },
  { name: 'register/ with a blank password', request: () => ({ path: 'register/', json: frontendRegisterBody({ ...newAccount(), password: '' }) }) },
  {
    name: 'register/ with a weak password',
    request: () => ({ path: 'register/', json: frontendRegisterBody({ ...newAccount(), password: 'password' }) }),
    deviations: [
      { on: 'status', reason: 'ours enforces its password policy (SECURITY.md); the real view stores any password' },
      { on: 'body', kinds: ['missing', 'extra'], reason: 'ours names the password field with the policy’s reason instead of showing the new user' },
    ],
    oursBody: { password: [expect.any(String)] },
  },
  { name: 'register/ GET', request: () => ({ method: 'GET', path: 'register/' }) },
  { name: 'register/ text/plain', request: () => ({ path: 'register/', raw: 'email=a@example.com', contentType: 'text/plain' }) },

  // request-reset/.
  { name: 'request-reset/ for a known email', request: ({ user }) => ({ path: 'request-reset/', json: { email: user.email } }) },
  {
    name: 'request-reset/ for an unknown email',
    request: () => ({ path: 'request-reset/', json: { email: 'nobody.here@example.com' } }),
    deviations: [
      { on: 'status', reason: 'ours answers the same for unknown addresses, so it cannot tell who has an account; the real view answers 404' },
      ...namesField('message', 'the same message as for a known address instead of {"error": "User not found"}'),
    ],
    oursBody: { message: expect.any(String) },
  },
  {
    name: 'request-reset/ without an email',
    request: () => ({ path: 'request-reset/', json: {} }),
    deviations: [
      { on: 'status', reason: 'ours names the missing field (400); the real view looks up email=None and answers 404 "User not found"' },
      ...namesField('email', 'ours names the email field'),
    ],
    oursBody: { email: ['This field is required.'] },
  },
];

describe('miniSASS: our routes against Django REST Framework + simplejwt (kartoza/miniSASS’s views)', () => {
  let django: DjangoReference;
  const sides = {} as Record<Side['name'], Side>;
  const shared = {} as Record<Side['name'], Promise<Fixture>>;

  beforeAll(async () => {
    django = await startDjangoReference();
    sides.reference = { name: 'reference', base: django.url, activate: django.activate };
    sides.ours = { name: 'ours', base: apiUrl(), activate: async () => {} };
    shared.reference = fixture(sides.reference);
    shared.ours = fixture(sides.ours);
    await Promise.all([shared.reference, shared.ours]);
  });

  afterAll(async () => {
    await django?.stop();
  });

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const answers = await Promise.all(
      (['reference', 'ours'] as const).map(async (name) => {
        const fx = scenario.fresh ? await fixture(sides[name]) : await shared[name];
        await scenario.before?.(fx);
        const answer = await send(sides[name], scenario.request(fx));
        return scenario.view ? scenario.view(answer) : answer;
      }),
    );
    const [reference, ours] = answers as [Observed, Observed];
    const { unexplained, stale } = explain(differences(reference, ours, scenario), scenario.deviations ?? []);
    const report = `reference ${JSON.stringify(reference)}\nours      ${JSON.stringify(ours)}`;
    const line = (d: Difference) => `${d.at} (${d.kind}): reference ${JSON.stringify(d.reference)}, ours ${JSON.stringify(d.ours)}`;
    expect(unexplained.map(line), `differences no deviation explains\n${report}`).toEqual([]);
    expect(
      stale.map((d) => `${d.on}: ${d.reason}`),
      `listed deviations that no longer occur\n${report}`,
    ).toEqual([]);
    if (scenario.oursBody !== undefined) expect(ours.body, report).toEqual(scenario.oursBody);
  });
});
