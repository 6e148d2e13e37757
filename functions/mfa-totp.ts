// /mfa/totp: POST starts enrolling an authenticator app (201 {secret, otpauth_uri}), for a bearer
// caller or, under MFA_POLICY=required, with the login's {mfa_token}; DELETE removes it (step-up).
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json, noContent } from '../lib/http/response.ts';
import { mfaTotpLambda, removeTotp, startTotp } from '../lib/routes/native/mfa.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { startEnrolmentLogin } from '../lib/use-cases/mfa-login.ts';
import { removeTotp as remove, startTotpEnrolment } from '../lib/use-cases/mfa-totp.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

export const handler = serve(mfaTotpLambda, [
  implement(startTotp, async ({ event, body }) => {
    let enrolment: Awaited<ReturnType<typeof startTotpEnrolment>>;
    if (body?.mfa_token !== undefined) {
      enrolment = await startEnrolmentLogin(body.mfa_token, deps);
    } else {
      const caller = await currentUser(bearerToken(event), deps);
      enrolment = await startTotpEnrolment(caller.user, deps, tokenAuthentication(caller.claims));
    }
    return json(201, { secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri });
  }),
  implement(removeTotp, async ({ event }) => {
    const caller = await currentUser(bearerToken(event), deps);
    await remove(caller.user, deps, tokenAuthentication(caller.claims));
    return noContent();
  }),
]);
