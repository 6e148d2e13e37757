// /oauth/login: the hosted sign-in page of a pending authorization request
// (lib/routes/native/oauth-login-handlers.ts).
import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { formErrorPage } from '../lib/pages/oauth-pages.ts';
import { oauthLoginLambda } from '../lib/routes/native/oauth-authorization.ts';
import { loginImplementations } from '../lib/routes/native/oauth-login-handlers.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(oauthLoginLambda, loginImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  errorPage: formErrorPage(deps.config),
});
