// POST /register: create an account and mail a confirmation link. 201 {user}; 400 naming each
// bad field; 409 when taken. With REGISTRATION_DISCLOSURE=email, 202 {message} whether or not the
// email address was taken (a taken username is still a 409).

import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { json } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { register, registerLambda, registerSchema } from '../lib/routes/native/accounts.ts';
import { validateRegistration } from '../lib/use-cases/register.ts';
import { REGISTRATION_RECEIVED, registerAccount } from '../lib/use-cases/registration.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const schema = registerSchema(deps.config.requiredProfileFields);

export const handler = serve(
  registerLambda,
  [
    implement(register, async ({ body }) => {
      const outcome = await registerAccount(await validateRegistration(body, schema), deps);
      // A new account's id and dates cannot be faked for a taken address without the fake being
      // found out later, so in email mode neither case shows any: 202, as for forgot-password.
      return outcome.disclosed ? json(201, { user: userView(outcome.user) }) : json(202, { message: REGISTRATION_RECEIVED });
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
