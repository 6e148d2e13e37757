// POST /mfa/webauthn/register/options and POST /mfa/webauthn/register: registering a passkey
// (lib/routes/native/passkey-registration-handlers.ts).
import { serve } from '../lib/http/endpoint.ts';
import { passkeyRegistrationImplementations } from '../lib/routes/native/passkey-registration-handlers.ts';
import { passkeyRegistrationLambda } from '../lib/routes/native/passkeys.ts';
import { dependencies } from '../lib/wiring/dependencies.ts';

export const handler = serve(passkeyRegistrationLambda, passkeyRegistrationImplementations(dependencies()));
