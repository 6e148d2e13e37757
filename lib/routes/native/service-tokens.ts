// Service tokens and introspection: declarations and request schemas.
import * as z from 'zod/mini';
import { type LambdaDeclaration, operation } from '../../http/declaration.ts';
import { introspectionErrors } from '../../http/introspection-errors.ts';
import { textField } from '../fields.ts';
import { credentialFields } from './sessions.ts';

export const serviceTokenSchema = z.strictObject({
  requested_service: textField('requested_service').check(
    z.minLength(1, { error: 'This field must not be empty.' }),
    z.maxLength(200, { error: 'Use at most 200 characters.' }),
  ),
  // TCAP's form: the user's credentials in the same body, instead of an access token.
  username: credentialFields.username,
  email: credentialFields.email,
  password: z.optional(credentialFields.password),
});

// Not strict: RFC 7662 clients send more than these (client_id, client_secret for
// client_secret_post), and the libraries send client_id; unknown parameters are ignored.
export const introspectSchema = z.object({
  token: textField('token').check(z.minLength(1, { error: 'This field must not be empty.' }), z.maxLength(8192, { error: 'Use at most 8192 characters.' })),
  // RFC 7662 section 2.1: a hint the server may ignore; we look at the token itself.
  token_type_hint: z.optional(textField('token_type_hint').check(z.maxLength(64, { error: 'Use at most 64 characters.' }))),
});

const TAG = 'Service tokens';

export const serviceToken = operation({
  method: 'POST',
  path: '/service-token',
  tag: TAG,
  summary: 'A short-lived (5-minute) token for one downstream service {requested_service}, by access token or by password.',
  request: serviceTokenSchema,
  example: { requested_service: 'Hash Verification' },
  auth: 'bearer',
  guard: 'password',
  // The bearer form checks no password (a password beside a token is refused): it spends its own
  // budget, so an office minting service tokens never uses up its address's password checks.
  bearerGuard: 'bearer',
  deviceProof: true,
  success: { status: 200, body: 'ServiceToken' },
});

export const introspect = operation({
  method: 'POST',
  path: '/introspect',
  tag: TAG,
  summary: 'RFC 7662 token introspection, authenticated with a service token or as a confidential OAuth client (client_secret_basic or client_secret_post).',
  request: introspectSchema,
  auth: 'service',
  success: { status: 200, body: 'Introspection' },
});

export const serviceTokenLambda: LambdaDeclaration = {
  name: 'serviceToken',
  signsTokens: true,
  file: 'service-token',
  httpApiPaths: ['/service-token'],
  dialect: 'problem',
  operations: [serviceToken],
};
export const introspectLambda: LambdaDeclaration = {
  name: 'introspect',
  file: 'introspect',
  httpApiPaths: ['/introspect'],
  dialect: 'problem',
  // A refused OAuth client gets OAuth's JSON (RFC 7662 §2.3); service-token callers keep problem+json.
  errors: introspectionErrors,
  operations: [introspect],
};
