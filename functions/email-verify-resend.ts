// POST /email/verify/resend: another verification mail, at most once a minute. With an access
// token it goes to the logged-in user (409 if already verified, 429 within the minute); without one,
// {email} names the address and the answer is the same 202 whether or not anything was sent.
import { ipBudget } from '../lib/abuse/ip-budget.ts';
import { dependencies } from '../lib/app.ts';
import { ValidationError } from '../lib/domain/errors.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { validate } from '../lib/domain/validation.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { resendSchema, resendVerificationMail, resendVerificationMailTo } from '../lib/use-cases/email-verification.ts';

const deps = dependencies();

const ACCEPTED = { message: 'If this address belongs to an account awaiting confirmation, a new confirmation link has been sent.' };

export const handler = httpRoute(
  {
    methods: ['POST'],
    summary: 'Sends another email-confirmation link (at most once a minute): to the logged-in user, or to {email} without a token.',
    guard: ipBudget('email-resend', deps),
  },
  async (event) => {
    const { email } = validate(resendSchema, event.parsedBody ?? {});
    const token = bearerToken(event);
    if (token) {
      const caller = await currentUser(token, deps);
      await resendVerificationMail(caller, deps);
      return json(202, { message: `A new confirmation link has been sent to ${caller.user.email}.` });
    }
    if (email === undefined) throw new ValidationError([{ field: 'email', message: 'Send {email}, or log in and send an access token.' }]);
    await resendVerificationMailTo(email, deps);
    return json(202, ACCEPTED);
  },
);
