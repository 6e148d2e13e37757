// POST /register: create an account and mail a confirmation link. 201 {user}; 400 naming each
// bad field; 409 when taken.

import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { json } from '../lib/http/response.ts';
import { userView } from '../lib/http/user-view.ts';
import { register, registerLambda, registerSchema } from '../lib/routes/native/accounts.ts';
import { sendVerificationMail } from '../lib/use-cases/email-verification.ts';
import { register as createAccount, validateRegistration } from '../lib/use-cases/register.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();
const schema = registerSchema(deps.config.requiredProfileFields);

export const handler = serve(
  registerLambda,
  [
    implement(register, async ({ body }) => {
      const user = await createAccount(await validateRegistration(body, schema), deps);
      // A mail failure is logged and never fails the registration; the user can ask for another.
      await sendVerificationMail(user, deps);
      return json(201, { user: userView(user) });
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
