// POST /email/verify/resend with an access token: another verification mail, at most once a minute.
import { dependencies } from '../lib/app.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { httpRoute } from '../lib/http/route.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { resendVerificationMail } from '../lib/use-cases/email-verification.ts';

const deps = dependencies();

export const handler = httpRoute({ methods: ['POST'], summary: 'Sends another email-confirmation link to the logged-in user (at most once a minute).' }, async (event) => {
  const caller = await currentUser(bearerToken(event), deps);
  await resendVerificationMail(caller, deps);
  return json(202, { message: `A new confirmation link has been sent to ${caller.user.email}.` });
});
