// POST /mfa/totp/confirm {code}: finishes enrolling an authenticator app; the first factor's
// answer carries the recovery codes (shown this once). With {mfa_token} instead of a bearer token
// (MFA_POLICY=required) it also finishes the login: the usual /login answer besides the codes.
import { withDeviceProof } from '../lib/http/device-proof.ts';
import { implement, serve } from '../lib/http/endpoint.ts';
import { bearerToken } from '../lib/http/request.ts';
import { json } from '../lib/http/response.ts';
import { sessionTokensBody } from '../lib/http/token-bodies.ts';
import { userView } from '../lib/http/user-view.ts';
import { confirmTotp, mfaTotpConfirmLambda } from '../lib/routes/native/mfa.ts';
import { currentUser } from '../lib/use-cases/current-user.ts';
import { finishEnrolmentLogin, finishMfaLogin } from '../lib/use-cases/mfa-login.ts';
import { confirmTotpEnrolment } from '../lib/use-cases/mfa-totp.ts';
import { tokenAuthentication } from '../lib/use-cases/step-up.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

const deps = dependencies();

const codesBody = (recoveryCodes: string[] | undefined) => (recoveryCodes ? { recovery_codes: recoveryCodes } : {});

export const handler = serve(mfaTotpConfirmLambda, [
  implement(confirmTotp, async ({ event, body }) => {
    const { code, mfa_token: mfaToken } = body!;
    if (mfaToken !== undefined) {
      const enrolled = await finishEnrolmentLogin(mfaToken, code, deps);
      const result = await finishMfaLogin(enrolled.user, enrolled.authentication, deps);
      const answer = json(200, { ...codesBody(enrolled.recoveryCodes), ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
      return withDeviceProof(answer, event, result.deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }
    const caller = await currentUser(bearerToken(event), deps);
    const confirmed = await confirmTotpEnrolment(caller.user, code, deps, tokenAuthentication(caller.claims));
    return json(200, codesBody(confirmed.recoveryCodes));
  }),
]);
