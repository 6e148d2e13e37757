// POST /email/verify/resend: another verification mail, at most once a minute. With an access
// token it goes to the logged-in user (409 if already verified, 429 within the minute); without one,
// {email} names the address and the answer is the same 202 whether or not anything was sent.

import { implement, serve } from '../lib/http/endpoint.ts';
import { ipBudget } from '../lib/http/ip-budget-guard.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { emailVerifyResendLambda, resendVerification } from '../lib/routes/native/password-and-email.ts';
import { resendVerification as resend } from '../lib/use-cases/email-verification.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

const ACCEPTED = { message: 'If this address belongs to an account awaiting confirmation, a new confirmation link has been sent.' };

export const handler = serve(
  emailVerifyResendLambda,
  [
    implement(resendVerification, async ({ event, body }) => {
      const sentTo = await resend(bearerToken(event), body?.email, deps);
      return json(202, sentTo === undefined ? ACCEPTED : { message: `A new confirmation link has been sent to ${sentTo}.` });
    }),
  ],
  { ipBudget: (scope) => ipBudget(scope, deps) },
);
