// Configuration of the OAuth 2.1 / OpenID Connect provider: who may register clients (RFC 7591),
// how long codes, ID tokens and browser sessions live, and where the hosted login page links to.
import { absoluteUrl, oneOf, wholeNumber } from '../kinds.ts';
import { defineSection, type Env, variable } from '../section.ts';

export const DYNAMIC_REGISTRATION_MODES = ['off', 'token', 'open'] as const;
export type DynamicRegistrationMode = (typeof DYNAMIC_REGISTRATION_MODES)[number];

export const oauthSection = defineSection({
  name: 'oauth',
  variables: {
    dynamicRegistration: variable('OAUTH_DYNAMIC_REGISTRATION', {
      kind: oneOf(DYNAMIC_REGISTRATION_MODES),
      fallback: 'off' as DynamicRegistrationMode,
      description:
        'RFC 7591 dynamic client registration at `/oauth/register`: `off` (404), `token` (needs an initial access token from `npm run admin -- clients registration-token`), `open` (anyone; local development, `npm start` sets it)',
    }),
    authorizationCodeTtlSeconds: variable('AUTHORIZATION_CODE_TTL', {
      // OAuth 2.1 §4.1.2: a maximum lifetime of 10 minutes is RECOMMENDED; the issue asks for ≤ 60 s.
      kind: wholeNumber(10, 60),
      fallback: 60,
      description: 'authorization code lifetime, seconds',
    }),
    idTokenTtlSeconds: variable('ID_TOKEN_TTL', {
      kind: wholeNumber(60, 86_400),
      fallback: 3600,
      description: 'ID token lifetime, seconds (OIDC Core §2 `exp`)',
    }),
    browserSessionTtlSeconds: variable('BROWSER_SESSION_TTL', {
      kind: wholeNumber(300, 30 * 86_400),
      fallback: 43_200,
      description: 'how long the hosted login keeps a browser signed in for single sign-on, seconds',
    }),
    registerUrl: variable('LOGIN_PAGE_REGISTER_URL', {
      kind: absoluteUrl(),
      fallback: undefined as string | undefined,
      defaultText: 'none (no link)',
      description: 'where the hosted login page\'s "Create an account" link goes; without it the page shows none',
    }),
    forgotPasswordUrl: variable('LOGIN_PAGE_FORGOT_URL', {
      kind: absoluteUrl(),
      fallback: undefined as string | undefined,
      defaultText: '`PUBLIC_URL`/password/forgot (the hosted page)',
      description: 'where the hosted login page\'s "Forgot your password?" link goes',
    }),
  },
  shape: (values) => values,
});

export type OAuthConfig = ReturnType<typeof oauthSection.read>;
export const OAUTH_VARIABLES = oauthSection.variableNames;

/** The OAuth provider's settings, read once per environment. */
export const oauthConfig = (env: Env = process.env): OAuthConfig => oauthSection.read(env);
