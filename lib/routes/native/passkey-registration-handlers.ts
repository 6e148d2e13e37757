// POST /mfa/webauthn/register/options and POST /mfa/webauthn/register (served by
// functions/passkey-registration.ts): registering a passkey (WebAuthn §7.1). With a bearer token
// (a recent sign-in; with MFA when the account has a factor) it adds a named passkey, with the
// recovery codes on the first factor. With {mfa_token} instead (MFA_POLICY=required,
// mfa_enrollment_required) registering finishes the login too: the usual /login answer besides
// the passkey and the codes.
import { ValidationError } from '../../domain/errors.ts';
import type { Passkey } from '../../domain/mfa.ts';
import { withDeviceProof } from '../../http/device-proof.ts';
import { type Implementation, implement } from '../../http/endpoint.ts';
import { bearerToken } from '../../http/request.ts';
import { json } from '../../http/response.ts';
import { sessionTokensBody } from '../../http/token-bodies.ts';
import type { HttpEvent } from '../../http/types.ts';
import { userView } from '../../http/user-view.ts';
import { toIsoUtc } from '../../support/clock.ts';
import { currentUser } from '../../use-cases/current-user.ts';
import type { Dependencies } from '../../use-cases/dependencies.ts';
import { finishMfaLogin } from '../../use-cases/mfa-login.ts';
import {
  finishPasskeyEnrolment,
  openPasskeyEnrolment,
  passkeyRegistrationOptions as optionsFor,
  registerPasskey as register,
} from '../../use-cases/passkeys.ts';
import { tokenAuthentication } from '../../use-cases/step-up.ts';
import { passkeyRegistrationOptions, registerPasskey } from './passkeys.ts';

export function passkeyRegistrationImplementations(deps: Dependencies): Implementation[] {
  /** Who registers: the bearer token's user, or the user of an enrolment mfa_token (never both). */
  async function registrant(event: HttpEvent, mfaToken: string | undefined) {
    if (mfaToken === undefined) {
      const caller = await currentUser(bearerToken(event), deps);
      return { user: caller.user, recent: tokenAuthentication(caller.claims), enrolment: undefined };
    }
    if (bearerToken(event) !== undefined) throw new ValidationError([{ field: 'mfa_token', message: 'Send either a bearer token or an mfa_token, not both.' }]);
    const enrolment = await openPasskeyEnrolment(mfaToken, deps);
    return { user: enrolment.user, recent: enrolment.recent, enrolment };
  }

  const passkeyBody = (passkey: Passkey, recoveryCodes: string[] | undefined) => ({
    id: passkey.credentialId,
    name: passkey.name,
    created_at: toIsoUtc(passkey.createdAt),
    ...(recoveryCodes ? { recovery_codes: recoveryCodes } : {}),
  });

  return [
    implement(passkeyRegistrationOptions, async ({ event, body }) => {
      const { user, recent } = await registrant(event, body?.mfa_token);
      return json(200, await optionsFor(user, deps, recent));
    }),
    implement(registerPasskey, async ({ event, body }) => {
      const { name, response, mfa_token: mfaToken } = body!;
      const { user, recent, enrolment } = await registrant(event, mfaToken);
      const { passkey, recoveryCodes } = await register(user, { name, response }, deps, recent);
      if (!enrolment) return json(201, passkeyBody(passkey, recoveryCodes));
      const result = await finishMfaLogin(user, await finishPasskeyEnrolment(enrolment, passkey, deps), deps);
      const answer = json(201, { ...passkeyBody(passkey, recoveryCodes), ...sessionTokensBody(result, deps.clock.now()), user: userView(result.user) });
      return withDeviceProof(answer, event, result.deviceProof, deps.config.loginThrottle.deviceProofTtlSeconds);
    }),
  ];
}
