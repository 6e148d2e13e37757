// THE route table: every Lambda that answers HTTP and the endpoints it serves, native and
// compatibility. The OpenAPI document, the check of serverless.yml and the property tests read it;
// each functions/<file>.ts serves its own entry. Adding an endpoint means declaring it here once.
import type { LambdaDeclaration } from '../http/declaration.ts';
import { COMPAT_LAMBDAS } from './compat/declarations.ts';
import { emailChangeLambda, emailRevertLambda, meEmailLambda, mePasswordLambda } from './native/account-changes.ts';
import { meExportLambda, meSessionLambda, meSessionsLambda } from './native/account-data.ts';
import { accountLambda } from './native/account-page.ts';
import { meLambda, registerLambda } from './native/accounts.ts';
import { apiTokenLambda, apiTokensLambda } from './native/api-tokens.ts';
import { docsLambda, jwksLambda, openapiLambda, openidConfigurationLambda, whoamiLambda } from './native/discovery.ts';
import { MFA_TOTP_LAMBDAS } from './native/mfa.ts';
import { pageAssetsLambda } from './native/mfa-pages.ts';
import { oauthAuthorizeLambda, oauthConsentLambda, oauthLoginLambda, oauthLogoutLambda } from './native/oauth-authorization.ts';
import { oauthRegisterLambda } from './native/oauth-clients.ts';
import { oauthRevokeLambda, oauthTokenLambda, oauthUserinfoLambda } from './native/oauth-tokens.ts';
import { loginWebauthnLambda, passkeyLambda, passkeyRegistrationLambda } from './native/passkeys.ts';
import { emailVerifyLambda, emailVerifyResendLambda, passwordForgotLambda, passwordResetLambda } from './native/password-and-email.ts';
import { meEventsLambda } from './native/security-events.ts';
import { introspectLambda, serviceTokenLambda } from './native/service-tokens.ts';
import { loginLambda, logoutAllLambda, logoutLambda, refreshLambda } from './native/sessions.ts';

export const NATIVE_LAMBDAS: readonly LambdaDeclaration[] = [
  registerLambda,
  loginLambda,
  meLambda,
  refreshLambda,
  logoutLambda,
  logoutAllLambda,
  serviceTokenLambda,
  introspectLambda,
  apiTokensLambda,
  apiTokenLambda,
  passwordForgotLambda,
  passwordResetLambda,
  emailVerifyLambda,
  emailVerifyResendLambda,
  whoamiLambda,
  jwksLambda,
  openidConfigurationLambda,
  oauthRegisterLambda,
  openapiLambda,
  docsLambda,
  oauthTokenLambda,
  oauthUserinfoLambda,
  oauthRevokeLambda,
  oauthAuthorizeLambda,
  oauthLoginLambda,
  oauthConsentLambda,
  oauthLogoutLambda,
  ...MFA_TOTP_LAMBDAS,
  accountLambda,
  pageAssetsLambda,
  passkeyRegistrationLambda,
  passkeyLambda,
  loginWebauthnLambda,
  meEventsLambda,
  mePasswordLambda,
  meEmailLambda,
  emailChangeLambda,
  emailRevertLambda,
  meSessionsLambda,
  meSessionLambda,
  meExportLambda,
];

/** Every HTTP Lambda but the catch-all 404 (serverless.yml's `notFound`, which serves no declared route). */
export function httpLambdas(): readonly LambdaDeclaration[] {
  return [...NATIVE_LAMBDAS, ...COMPAT_LAMBDAS];
}
