// Passkeys (WebAuthn): registering and removing them (/mfa/webauthn/*), and signing in with one as
// the second factor or passwordless (/login/webauthn*). Declarations and request schemas; the
// browser's credential (`response`) is checked member by member by lib/mfa/webauthn.ts, so a
// malformed one is a 400 naming the member.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { noFields, textField } from '../fields.ts';
import { USER_ENVELOPE } from '../responses.ts';

/** mfa_tokens and ceremony ids are 43 base64url characters; anything far longer is neither. */
const opaqueField = (field: string) =>
  textField(field).check(z.minLength(1, { error: 'This field must not be empty.' }), z.maxLength(128, { error: `This is not a ${field}.` }));

/** The browser's PublicKeyCredential.toJSON(): its members are checked by the use case, each by name. */
const credentialField = z.unknown().check(
  z.refine((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'Expected the object the browser returned (PublicKeyCredential.toJSON()).',
  }),
);

export const registrationOptionsSchema = z.strictObject({ mfa_token: z.optional(opaqueField('mfa_token')) });
export const registerSchema = z.strictObject({
  name: textField('name').check(z.minLength(1, { error: 'This field must not be empty.' }), z.maxLength(400, { error: 'Use at most 100 characters.' })),
  response: credentialField,
  mfa_token: z.optional(opaqueField('mfa_token')),
});
export const loginOptionsSchema = z.strictObject({ mfa_token: z.optional(opaqueField('mfa_token')) });
export const loginSchema = z.strictObject({
  mfa_token: z.optional(opaqueField('mfa_token')),
  ceremony_id: z.optional(opaqueField('ceremony_id')),
  response: credentialField,
});

const TAG = 'Multi-factor authentication';
const CREDENTIAL_EXAMPLE = {
  id: 'base64url credential id',
  rawId: 'base64url credential id',
  type: 'public-key',
  response: { clientDataJSON: '…', attestationObject: '…' },
  clientExtensionResults: {},
};

export const passkeyRegistrationOptions = operation({
  method: 'POST',
  path: '/mfa/webauthn/register/options',
  tag: TAG,
  summary:
    'Options for navigator.credentials.create() (WebAuthn PublicKeyCredentialCreationOptionsJSON). Bearer; or {mfa_token} of mfa_enrollment_required. A further factor needs a recent MFA (step-up).',
  request: registrationOptionsSchema,
  bodyOptional: true,
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', description: 'PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3 §5.4)' } },
});

export const registerPasskey = operation({
  method: 'POST',
  path: '/mfa/webauthn/register',
  tag: TAG,
  summary:
    'Register a named passkey from the browser response: {id, name, created_at}, plus recovery_codes on the first factor and, with an mfa_token, the usual login body.',
  request: registerSchema,
  example: { name: 'MacBook Touch ID', response: CREDENTIAL_EXAMPLE },
  auth: 'bearer',
  success: {
    status: 201,
    body: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        created_at: { type: 'string', format: 'date-time' },
        recovery_codes: { type: 'array', items: { type: 'string' } },
      },
    },
  },
});

export const deletePasskey = operation({
  method: 'DELETE',
  path: '/mfa/webauthn/{id}',
  tag: TAG,
  summary: 'Remove one of your passkeys (needs a recent MFA: step-up).',
  request: noFields,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const passkeyLoginOptions = operation({
  method: 'POST',
  path: '/login/webauthn/options',
  tag: TAG,
  summary:
    'Options for navigator.credentials.get(): with {mfa_token}, for the second factor; without, for a passwordless sign-in (discoverable credentials, user verification required), with a ceremony_id.',
  request: loginOptionsSchema,
  bodyOptional: true,
  auth: 'none',
  guard: 'password',
  success: {
    status: 200,
    body: {
      type: 'object',
      properties: { ceremony_id: { type: 'string' }, options: { type: 'object', description: 'PublicKeyCredentialRequestOptionsJSON (§5.5)' } },
    },
  },
});

export const passkeyLogin = operation({
  method: 'POST',
  path: '/login/webauthn',
  tag: TAG,
  summary: 'Sign in with a passkey: {mfa_token, response} (second factor) or {ceremony_id, response} (passwordless); the usual /login body.',
  request: loginSchema,
  example: {
    ceremony_id: '…',
    response: { ...CREDENTIAL_EXAMPLE, response: { clientDataJSON: '…', authenticatorData: '…', signature: '…', userHandle: '…' } },
  },
  auth: 'none',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: { allOf: [{ $ref: '#/components/schemas/SessionTokens' }, USER_ENVELOPE] } },
});

export const passkeyRegistrationLambda: LambdaDeclaration = {
  name: 'passkeyRegistration',
  file: 'passkey-registration',
  httpApiPaths: ['/mfa/webauthn/register/options', '/mfa/webauthn/register'],
  dialect: 'problem',
  // The MFA_POLICY=required enrolment finishes a login.
  signsTokens: true,
  operations: [passkeyRegistrationOptions, registerPasskey],
};
export const passkeyLambda: LambdaDeclaration = {
  name: 'passkey',
  file: 'passkey',
  httpApiPaths: ['/mfa/webauthn/{id}'],
  dialect: 'problem',
  operations: [deletePasskey],
};
export const loginWebauthnLambda: LambdaDeclaration = {
  name: 'loginWebauthn',
  file: 'login-webauthn',
  httpApiPaths: ['/login/webauthn/options', '/login/webauthn'],
  dialect: 'problem',
  signsTokens: true,
  operations: [passkeyLoginOptions, passkeyLogin],
};
