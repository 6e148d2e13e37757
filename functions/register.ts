// POST /register: create an account and mail a confirmation link. 201 {user}; 400 naming each
// bad field; 409 when taken.
import { ipBudget } from '../lib/abuse/ip-budget.ts';
import { dependencies } from '../lib/app.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { sendVerificationMail } from '../lib/use-cases/email-verification.ts';
import { register, registerSchema, validateRegistration } from '../lib/use-cases/register.ts';
import { userView } from '../lib/user-view.ts';

const deps = dependencies();
const schema = registerSchema(deps.config.requiredProfileFields);

export const handler = httpRoute({ methods: ['POST'], summary: 'Creates an account and mails a link to confirm its email address.', guard: ipBudget('register', deps) }, async (event) => {
  const input = await validateRegistration(event.parsedBody, schema);
  const user = await register(input, deps);
  // A mail failure is logged and never fails the registration; the user can ask for another.
  await sendVerificationMail(user, deps);
  return json(201, { user: userView(user) });
});
