// /account and /account/sign-in: the hosted account page of the browser session, where a user
// manages their second factors (lib/routes/native/account-handlers.ts).
import { serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { formErrorPage } from '../lib/pages/oauth-pages.ts';
import { accountImplementations } from '../lib/routes/native/account-handlers.ts';
import { accountLambda } from '../lib/routes/native/account-page.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(accountLambda, accountImplementations(deps), {
  ipBudget: (scope) => ipBudget(scope, deps),
  errorPage: formErrorPage(deps.config),
});
