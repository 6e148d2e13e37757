// Multi-factor authentication, the TOTP and recovery-code half: enrolling an authenticator app,
// listing factors, regenerating recovery codes, and the second step of a login (POST /login/mfa).
// Declarations and request schemas; the passkey routes are in ./passkeys.ts.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { noFields, textField } from '../fields.ts';
import { ref, USER_ENVELOPE } from '../responses.ts';

/** An mfa_token is 43 base64url characters; a looser bound here, the use case checks the shape. */
const mfaTokenField = textField('mfa_token').check(
  z.minLength(1, { error: 'This field must not be empty.' }),
  z.maxLength(256, { error: 'This is not an mfa_token.' }),
);
/** A TOTP code as typed ("123 456" included); its digits are checked by the use case, naming `code`. */
const codeField = textField('code').check(z.minLength(1, { error: 'This field must not be empty.' }), z.maxLength(32, { error: 'Send the 6-digit code.' }));
const recoveryCodeField = textField('recovery_code').check(
  z.minLength(1, { error: 'This field must not be empty.' }),
  z.maxLength(64, { error: 'This is not a recovery code.' }),
);

export const totpStartSchema = z.strictObject({ mfa_token: z.optional(mfaTokenField) });
export const totpConfirmSchema = z.strictObject({ code: codeField, mfa_token: z.optional(mfaTokenField) });
export const loginMfaSchema = z.strictObject({ mfa_token: mfaTokenField, code: z.optional(codeField), recovery_code: z.optional(recoveryCodeField) });

const TAG = 'Multi-factor authentication';
const RECOVERY_CODES = { type: 'array', items: { type: 'string', example: '7kq2-m9xd-h4ta-0c3v-pn8e-w1yr' }, minItems: 10, maxItems: 10 };
const LOGIN_BODY = { allOf: [ref('SessionTokens'), USER_ENVELOPE] };

export const startTotp = operation({
  method: 'POST',
  path: '/mfa/totp',
  tag: TAG,
  summary:
    'Start enrolling an authenticator app: its secret and otpauth:// URI. Bearer (a recent sign-in; with MFA if you have a factor), or {mfa_token} from a login answered mfa_enrollment_required.',
  request: totpStartSchema,
  bodyOptional: true,
  auth: 'bearer',
  success: {
    status: 201,
    body: { type: 'object', required: ['secret', 'otpauth_uri'], properties: { secret: { type: 'string' }, otpauth_uri: { type: 'string' } } },
  },
});

export const removeTotp = operation({
  method: 'DELETE',
  path: '/mfa/totp',
  tag: TAG,
  summary: 'Remove the authenticator app (needs a sign-in with MFA within STEP_UP_MAX_AGE, else 401 step_up_required).',
  request: noFields,
  auth: 'bearer',
  success: { status: 204, body: 'none' },
});

export const confirmTotp = operation({
  method: 'POST',
  path: '/mfa/totp/confirm',
  tag: TAG,
  summary:
    'Finish enrolling with a code the app shows: {recovery_codes} on your first factor (shown once), {} otherwise. With {mfa_token} instead of Bearer (MFA_POLICY=required), the usual login answer too.',
  request: totpConfirmSchema,
  example: { code: '123456' },
  auth: 'bearer',
  success: {
    status: 200,
    body: { type: 'object', properties: { recovery_codes: RECOVERY_CODES, access_token: { type: 'string' }, refresh_token: { type: 'string' } } },
  },
});

export const listFactors = operation({
  method: 'GET',
  path: '/mfa',
  tag: TAG,
  summary: 'Your second factors (type, id, name, created, last used; recovery codes left), never a secret.',
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { factors: { type: 'array', items: ref('MfaFactor') } } } },
});

export const regenerateRecoveryCodes = operation({
  method: 'POST',
  path: '/mfa/recovery-codes',
  tag: TAG,
  summary: 'New recovery codes, shown once; the old ones stop working (needs a sign-in with MFA within STEP_UP_MAX_AGE).',
  request: noFields,
  bodyOptional: true,
  auth: 'bearer',
  success: { status: 200, body: { type: 'object', properties: { recovery_codes: RECOVERY_CODES } } },
});

export const loginMfa = operation({
  method: 'POST',
  path: '/login/mfa',
  tag: 'Sessions',
  summary:
    'The second step of a login answered mfa_required: {mfa_token, code} (authenticator app) or {mfa_token, recovery_code}. Wrong codes: 401 invalid_mfa_code with attempts_left; the token dies after 5.',
  request: loginMfaSchema,
  example: { mfa_token: 'the mfa_token of the 401 mfa_required answer', code: '123456' },
  auth: 'password',
  guard: 'password',
  deviceProof: true,
  success: { status: 200, body: LOGIN_BODY },
});

export const mfaTotpLambda: LambdaDeclaration = {
  name: 'mfaTotp',
  file: 'mfa-totp',
  httpApiPaths: ['/mfa/totp'],
  dialect: 'problem',
  operations: [startTotp, removeTotp],
};
/** Signs: with an mfa_token (MFA_POLICY=required) the confirmation finishes a login. */
export const mfaTotpConfirmLambda: LambdaDeclaration = {
  name: 'mfaTotpConfirm',
  file: 'mfa-totp-confirm',
  httpApiPaths: ['/mfa/totp/confirm'],
  dialect: 'problem',
  signsTokens: true,
  operations: [confirmTotp],
};
export const mfaFactorsLambda: LambdaDeclaration = {
  name: 'mfaFactors',
  file: 'mfa-factors',
  httpApiPaths: ['/mfa'],
  dialect: 'problem',
  operations: [listFactors],
};
export const mfaRecoveryCodesLambda: LambdaDeclaration = {
  name: 'mfaRecoveryCodes',
  file: 'mfa-recovery-codes',
  httpApiPaths: ['/mfa/recovery-codes'],
  dialect: 'problem',
  operations: [regenerateRecoveryCodes],
};
export const loginMfaLambda: LambdaDeclaration = {
  name: 'loginMfa',
  file: 'login-mfa',
  httpApiPaths: ['/login/mfa'],
  dialect: 'problem',
  signsTokens: true,
  operations: [loginMfa],
};

/** Every Lambda of this file, for lib/routes/table.ts. */
export const MFA_TOTP_LAMBDAS: readonly LambdaDeclaration[] = [mfaTotpLambda, mfaTotpConfirmLambda, mfaFactorsLambda, mfaRecoveryCodesLambda, loginMfaLambda];
