// Every HTTP Lambda of serverless.yml, loaded in this process against the test stack's DynamoDB
// Local and SES, so property tests can send thousands of events quickly (no HTTP, no bundling).
// The configuration is read at first use (getConfig in lib/config/all.ts), so process.env must be set
// before the first import of any handler: loadHandlers() does both, in that order.
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../../lib/http/types.ts';
import { stackEnv } from '../../support/deps.ts';

export type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** The handler files (functions/<name>.ts) of every HTTP function in serverless.yml. */
export const HANDLER_FILES = [
  'register',
  'login',
  'me',
  'refresh',
  'logout',
  'logout-all',
  'service-token',
  'introspect',
  'api-tokens',
  'api-token',
  'password-forgot',
  'password-reset',
  'email-verify',
  'email-verify-resend',
  'compat-tcap',
  'compat-eclecticiq',
  'compat-opentact',
  'compat-minisass',
  'openapi',
  'docs',
  'whoami',
  'jwks',
  'openid-configuration',
  'oauth-register',
  'oauth-authorize',
  'oauth-login',
  'oauth-consent',
  'oauth-logout',
  'not-found',
  'oauth-token',
  'oauth-userinfo',
  'oauth-revoke',
  'mfa-totp',
  'mfa-totp-confirm',
  'mfa-factors',
  'mfa-recovery-codes',
  'login-mfa',
  'account',
  'page-assets',
  'passkey-registration',
  'passkey',
  'login-webauthn',
  // Password and email changes (issue 18).
  'me-password',
  'me-email',
  'email-change',
  'email-revert',
  // The account's own sessions and data (issue 18).
  'me-sessions',
  'me-session',
  'me-export',
  'me-events',
] as const;
export type HandlerFile = (typeof HANDLER_FILES)[number];
export type Handlers = Record<HandlerFile, Handler>;

/** Origins the property tests configure as CORS_ORIGINS, so every endpoint's CORS is exercised too. */
export const ALLOWED_ORIGINS = ['https://app.example.com', 'http://localhost:5173'];

/** The environment of the in-process handlers: the stack's, without what would only slow cases down. */
export function propertyEnv(): Record<string, string> {
  return stackEnv({
    // Generated events come from a handful of addresses; the budget would turn cases into 429s.
    IP_RATE_LIMIT_PER_MINUTE: '0',
    // Enumeration-resistant answers are held for a minimum time; here that would only be waiting.
    MAIL_REQUEST_MIN_MS: '0',
    // Generated wrong passwords would lock the test user out at once; lockouts have tests of their own.
    LOGIN_MAX_FAILURES: '1000',
    // Nor should they spend the 24-hour budget of its login names (lib/abuse/login-throttle.ts).
    LOGIN_DAILY_MAX_FAILURES: '1000000',
    // The cheapest argon2id the configuration allows: these tests are about input, not hashing cost,
    // and thousands of logins at production cost would not fit the time the suite may take.
    ARGON2_MEMORY_KIB: '7168',
    ARGON2_ITERATIONS: '1',
    CORS_ORIGINS: ALLOWED_ORIGINS.join(','),
    // So generated registrations reach the metadata rules rather than the 404 of `off`.
    OAUTH_DYNAMIC_REGISTRATION: 'open',
    // 4xx answers are expected by the thousand; only warnings (5xx) and errors should show.
    LOG_LEVEL: 'warn',
  });
}

/** Imports every HTTP handler after setting the environment they read at their first use. */
export async function loadHandlers(): Promise<Handlers> {
  Object.assign(process.env, propertyEnv());
  const entries = await Promise.all(
    HANDLER_FILES.map(async (name) => [name, ((await import(`../../../functions/${name}.ts`)) as { handler: Handler }).handler] as const),
  );
  return Object.fromEntries(entries) as Handlers;
}
