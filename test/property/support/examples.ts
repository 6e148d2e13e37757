// Valid bodies for each endpoint, built from the test's own credentials. The generators send them
// as they are or slightly broken, so a good share of the cases gets past validation and reaches the
// use cases and DynamoDB: a property that only ever saw 400s would prove little.
import fc from 'fast-check';
import { hostileObject } from './arbitraries.ts';
import type { CredentialPool } from './credentials.ts';

type Body = Record<string, unknown>;

const fresh = fc.stringMatching(/^[a-z][a-z0-9]{7,14}$/);
const PASSPHRASE = 'correct horse battery staple';

/** Valid bodies by endpoint id (see endpoints.ts); routes without a body have none. */
export function examples(pool: CredentialPool): Record<string, fc.Arbitrary<Body>> {
  const pick = <T>(...values: T[]) => fc.constantFrom(...values);
  const login = fc.oneof(
    fc.constant({ username: pool.username, password: pool.password }),
    fc.constant({ email: pool.email, password: pool.password }),
    pick(pool.username, pool.email).map((name) => ({ username: name, password: 'not the password' })),
  );
  // A successful registration costs an argon2 hash, a transaction and a mail: one case in four.
  const register = fc
    .tuple(fresh, fc.constantFrom(PASSPHRASE, 'password', 'short', 'qwertyuiop'))
    .map(([name, password]) => ({ username: name, email: `${name}@example.com`, password }));
  const refresh = pick(...pool.refreshTokens);
  const token = { name: pick('ci', 'nightly export', ' spaced '), ttl: pick<number | string>(60, 3600, '86400', 59, 10 ** 12) };
  const services = pick('Hash Verification', 'hash-verification', 'Unknown Service');
  return {
    register: register.map((body) => ({ ...body, first_name: 'Jane', country: 'NL' })),
    login,
    refresh: refresh.map((t) => ({ refresh_token: t })),
    logout: refresh.map((t) => ({ refresh_token: t })),
    serviceToken: fc.oneof(
      services.map((s) => ({ requested_service: s })),
      services.map((s) => ({ username: pool.username, password: pool.password, requested_service: s })),
    ),
    introspect: pick(...pool.goodTokens, ...pool.badTokens).map((t) => ({ token: t, token_type_hint: 'access_token' })),
    apiTokens: fc.record(token, { requiredKeys: ['name'] }),
    apiToken: fc.record(token, { requiredKeys: [] }),
    passwordForgot: pick({ email: pool.email }, { email: 'nobody@example.com' }),
    passwordReset: pick(...pool.linkTokens).map((t) => ({ token: t, password: PASSPHRASE })),
    emailVerify: pick(...pool.linkTokens).map((t) => ({ token: t })),
    emailVerifyResend: pick({ email: pool.email }, {}),
    'compat-tcap POST /token-auth/api/login': services.map((s) => ({ username: pool.username, password: pool.password, requested_service: s })),
    'compat-tcap POST /token-auth/tcap': login.filter((b) => 'username' in b),
    'compat-eclecticiq POST /auth': pick({ username: pool.email, password: pool.password }),
    'compat-eclecticiq POST /api/auth': pick({ username: pool.username, password: pool.password }),
    'compat-opentact POST /rest/token': fc.record(token, { requiredKeys: ['name'] }),
    'compat-opentact PATCH /rest/token/{uuid}': fc.record(token, { requiredKeys: [] }),
    'compat-opentact PATCH /token/{uuid}': fc.record(token, { requiredKeys: [] }),
    'compat-minisass POST /authentication/api/login': pick({ email: pool.email, password: pool.password, usernameForEmailRetrieval: pool.username }),
    'compat-minisass POST /authentication/api/token': pick({ username: pool.username, password: pool.password }),
    'compat-minisass POST /authentication/api/refresh': refresh.map((t) => ({ refresh: t })),
    'compat-minisass POST /authentication/api/logout': refresh.map((t) => ({ refresh: t })),
    'compat-minisass POST /authentication/api/register': fc
      .tuple(register, fc.oneof(fc.constant({ source: 'property test' }), hostileObject(fc.string({ maxLength: 20 }))))
      .map(([body, additional_fields]) => ({ ...body, organizationType: 'NGO', organizationName: 'test', country: 'South Africa', additional_fields })),
    'compat-minisass POST /authentication/api/request-reset': pick({ email: pool.email }),
  };
}
